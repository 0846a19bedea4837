ON EVENT payment:confirmed DO
  TALK "Payment confirmed, thank you!"
  paid = TRUE
END ON

PUBLISH EVENT "invoice.created" WITH #{id: invoiceId, total: total}
WAIT FOR EVENT payment:confirmed TIMEOUT 86400
IF event_timed_out THEN
  TALK "We did not receive the payment yet."
END IF
reply = WAIT FOR EVENT "support-reply" TIMEOUT 600 WHERE ticket = ticketId
ADD BOT "billing-bot" WITH TRIGGER "invoice, payment, boleto"
USE MODEL "fast"
route = LLM "Classify: " + text
  WITH TASK "classify"
  WITH MAX_LATENCY 500
