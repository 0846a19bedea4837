' Checks: the BASIC.md §5 example verbatim (the prelude, corpus/refund-flow.bas) with amount 100 (no approval step) and no payment event (timeout path)
TALK "approval asked: " + (approval_status IS NOT NULL)
TALK "data is null: " + (data IS NULL) + ", timed out: " + event_timed_out
