' Checks: syntax error: FOR without NEXT, inside an IF that is closed
IF TRUE THEN
  FOR i = 1 TO 3
    TALK i
END IF
