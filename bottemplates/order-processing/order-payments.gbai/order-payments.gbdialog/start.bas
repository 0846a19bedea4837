' BOT "order-payments": "authorize payment" holds the order's total on the customer's card;
' "refund payment" gives back what was held. Each payment is kept in bot memory as
' payment:<order_id>, so an operator (admin, API) sees every authorization and refund.
IF input = "authorize payment" THEN
  payment_id = "PAY-" + order_id
  IF total > card_limit THEN
    payment_status = "declined"
  ELSE
    payment_status = "authorized"
  END IF
  SET BOT MEMORY "payment:" + order_id, #{id: payment_id, amount: total, status: payment_status}
  TALK "Payment " + payment_id + " of " + total + " " + payment_status + "."
ELSE IF input = "refund payment" THEN
  IF payment_status = "authorized" THEN
    refund_id = "RF-" + order_id
    payment_status = "refunded"
    SET BOT MEMORY "payment:" + order_id, #{id: payment_id, amount: total, status: "refunded", refund: refund_id}
    TALK "Refunded " + total + " of order " + order_id + " as " + refund_id + "."
  ELSE
    refund_id = ""
    TALK "Nothing to refund for order " + order_id + " (payment " + payment_status + ")."
  END IF
ELSE
  THROW "order-payments does not know the action '" + input + "'"
END IF
