' Checks: a bare RETURN at top level ends the script with no result
TALK "before"
IF TRUE THEN
  RETURN
END IF
TALK "after"
