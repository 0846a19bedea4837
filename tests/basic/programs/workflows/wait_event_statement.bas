' Checks: WAIT FOR EVENT name TIMEOUT s as a statement: only event_timed_out tells what happened
WAIT FOR EVENT "doc_signed" TIMEOUT 600
IF event_timed_out THEN
  TALK "not signed"
ELSE
  TALK "signed"
END IF
WAIT FOR EVENT "doc_signed" TIMEOUT 600
TALK "second: " + IIF(event_timed_out, "timeout", "arrived")
