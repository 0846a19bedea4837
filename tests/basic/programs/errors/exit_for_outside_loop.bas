' Checks: EXIT FOR outside a loop parses but fails when executed
TALK "a"
EXIT FOR
