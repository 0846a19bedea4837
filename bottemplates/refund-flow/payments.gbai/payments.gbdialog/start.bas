' BOT "payments" "issue refund": gives the refund an id the workflow reports.
refund_id = "RF-" + order_id
TALK "Refunded " + amount + " for order " + order_id + " as " + refund_id + "."
