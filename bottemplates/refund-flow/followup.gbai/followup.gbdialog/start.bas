' BOT "followup" "check back later": runs after the step's DELAY.
followed_up = TRUE
TALK "Asked the customer of order " + order_id + " how it went."
