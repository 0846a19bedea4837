' Order processing: payment, stock and fraud checks in parallel; a person reviews large or
' risky orders; the order waits for the payment provider's confirmation and is compensated
' (refund and restock) when it does not come; the carrier is booked with retries, then tracked.
' Inputs: order_id, email, sku, quantity, unit_price, ship_country, billing_country (config.csv).
ORCHESTRATE WORKFLOW "order-processing"

total = quantity * unit_price

STEP 1: PARALLEL
  BRANCH A: BOT "order-payments" "authorize payment"
  BRANCH B: BOT "order-stock" "reserve stock"
  BRANCH C: BOT "order-fraud" "score the order"
END PARALLEL

order_status = "accepted"
IF payment_status <> "authorized" THEN
  order_status = "rejected"
  reason = "payment " + payment_status
ELSE IF stock_status <> "reserved" THEN
  order_status = "rejected"
  reason = "only " + stock_available + " of " + sku + " in stock"
ELSE IF fraud_score >= fraud_block_score THEN
  order_status = "rejected"
  reason = "fraud score " + fraud_score + ": " + fraud_note
END IF

IF order_status = "accepted" AND (total >= review_amount OR fraud_score >= fraud_review_score) THEN
  STEP 2: HUMAN APPROVAL FROM reviewer
    TIMEOUT review_timeout
    ON TIMEOUT: ESCALATE TO review_escalation
  IF NOT approved THEN
    order_status = "rejected"
    reason = "review " + approval_status + " " + approval_comment
  END IF
END IF

IF order_status = "accepted" THEN
  STEP 3: confirmation = WAIT FOR EVENT "payment_confirmed" TIMEOUT payment_timeout WHERE order_id = order_id
  IF event_timed_out THEN
    order_status = "rejected"
    reason = "payment not confirmed within " + payment_timeout + " seconds"
  END IF
END IF

IF order_status = "accepted" THEN
  STEP 4: PARALLEL
    BRANCH A
      STEP 5: BOT "order-carrier" "book shipment"
        RETRY carrier_retries
    END BRANCH
    BRANCH B: BOT "order-notify" "send the invoice"
  END PARALLEL
  PUBLISH EVENT "order_shipped" WITH {"order_id": order_id, "email": email, "country": ship_country, "carrier": carrier, "tracking": tracking_number}
  STEP 6: BOT "order-carrier" "track shipment"
    DELAY tracking_delay
  order_status = "shipped"
  TALK "Order " + order_id + " shipped with " + carrier + " as " + tracking_number + "."
ELSE
  STEP 7: PARALLEL
    BRANCH A: BOT "order-payments" "refund payment"
    BRANCH B: BOT "order-stock" "release stock"
  END PARALLEL
  PUBLISH EVENT "order_cancelled" WITH {"order_id": order_id, "reason": reason, "refund": refund_id}
  TALK "Order " + order_id + " cancelled: " + reason + "."
END IF
END WORKFLOW
