' BOT "followup" "check back later": runs after the step's DELAY.
' Chatted directly (no order_id): say what the bot is for instead of acting on empty values.
IF order_id = "" THEN
  TALK "I ask customers how their refund went, a day after the refund-flow workflow refunded them: it calls me with an order_id."
ELSE
  followed_up = TRUE
  TALK "Asked the customer of order " + order_id + " how it went."
END IF
