' Checks: syntax error: NEXT with no open FOR
TALK "a"
NEXT
