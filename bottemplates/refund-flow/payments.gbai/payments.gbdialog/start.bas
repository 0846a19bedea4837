' BOT "payments" "issue refund": gives the refund an id the workflow reports.
' Chatted directly (no order_id): say what the bot is for instead of acting on empty values.
IF order_id = "" THEN
  TALK "I issue the refunds of the refund-flow workflow: it calls me with an order_id and an amount. Start that workflow to refund an order."
ELSE
  refund_id = "RF-" + order_id
  TALK "Refunded " + amount + " for order " + order_id + " as " + refund_id + "."
END IF
