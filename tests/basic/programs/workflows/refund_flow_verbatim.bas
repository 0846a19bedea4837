' Checks: the BASIC.md §5 example verbatim (the prelude, corpus/refund-flow.bas) with amount 800 (approval asked, payment event arrives), then its results
TALK approval_status + " by " + approver
TALK "paid: " + data.paid + ", timed out: " + event_timed_out
TALK summary
