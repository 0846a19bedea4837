' Checks: a bare EXIT ends the whole script at once, even from inside a loop and an IF
TALK "start"
FOR i = 1 TO 3
  IF i = 2 THEN
    EXIT
  END IF
  TALK i
NEXT
TALK "never reached"
