' Checks: an unsupported statement parses and fails only when executed: skipped in a false IF, fails when reached
TALK "start"
IF FALSE THEN
  SCREENSHOT "page"
END IF
TALK "skipped fine"
SCREENSHOT "page"
TALK "never"
