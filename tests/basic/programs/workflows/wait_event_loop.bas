' Checks: WAIT FOR EVENT as a value in a loop: each wait takes the next event's data; a timeout gives NULL and event_timed_out
count = 0
DO
  v = WAIT FOR EVENT "tick" TIMEOUT 10
  IF event_timed_out THEN EXIT DO
  count = count + v
LOOP
TALK "sum " + count
TALK v IS NULL
