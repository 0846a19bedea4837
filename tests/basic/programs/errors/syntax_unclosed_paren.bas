' Checks: syntax error: a parenthesis never closed (the open parenthesis continues the line to the end of the file)
x = (1 + 2
TALK x
