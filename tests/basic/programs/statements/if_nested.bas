' Checks: nested IF blocks; END IF closes the innermost; an IF without ELSE that is false does nothing
a = 1
b = 2
IF a = 1 THEN
  IF b = 1 THEN
    TALK "a1 b1"
  ELSE
    TALK "a1 not b1"
  END IF
  TALK "after inner"
ELSE
  TALK "not a1"
END IF
IF a > 5 THEN
  TALK "no"
END IF
TALK "done"
