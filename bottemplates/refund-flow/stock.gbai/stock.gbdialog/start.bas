' BOT "stock" "restock item": puts the returned item back in stock.
' Chatted directly (no order_id): say what the bot is for instead of acting on empty values.
IF order_id = "" THEN
  TALK "I put returned items back in stock for the refund-flow workflow: it calls me with an order_id. Start that workflow to refund an order."
ELSE
  restocked = TRUE
  TALK "Item of order " + order_id + " restocked."
END IF
