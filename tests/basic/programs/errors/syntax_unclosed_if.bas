' Checks: syntax error: an IF block never closed
x = 1
IF x = 1 THEN
  TALK "one"
