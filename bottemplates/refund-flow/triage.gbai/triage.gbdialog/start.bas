' BOT "triage" "classify the ticket": input is the action; amount comes from the workflow.
' Chatted directly (no amount): say what the bot is for instead of acting on empty values.
IF amount = "" THEN
  TALK "I classify refund tickets for the refund-flow workflow: it calls me with the amount (high priority above high_priority_amount)."
ELSE
  category = "refund"
  IF amount > high_priority_amount THEN
    priority = "high"
  ELSE
    priority = "normal"
  END IF
  TALK "Ticket classified: " + category + ", " + priority + " priority."
END IF
