' BOT "stock" "restock item": puts the returned item back in stock.
restocked = TRUE
TALK "Item of order " + order_id + " restocked."
