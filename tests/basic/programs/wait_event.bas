data = WAIT FOR EVENT "payment_confirmed" TIMEOUT 3600
TALK "paid " & data.amount & " timed out: " & event_timed_out
other = WAIT FOR EVENT "never_comes" TIMEOUT 60
TALK "other is null: " & (other IS NULL) & ", timed out: " & event_timed_out
WAIT FOR EVENT "never_comes" TIMEOUT 5
IF event_timed_out THEN TALK "gave up"
