' BOT "triage" "classify the ticket": input is the action; amount comes from the workflow.
category = "refund"
IF amount > high_priority_amount THEN
  priority = "high"
ELSE
  priority = "normal"
END IF
TALK "Ticket classified: " + category + ", " + priority + " priority."
