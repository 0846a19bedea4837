' Checks: syntax error: a string that is never closed (strings may span lines, so it runs to the end of the file)
TALK "hello
