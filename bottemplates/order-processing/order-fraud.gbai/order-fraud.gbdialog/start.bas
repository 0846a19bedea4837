' BOT "order-fraud" "score the order": a risk score from 0 to 100 by rules whose weights are
' config rows, and a one-line note written by the LLM (routed by fraud_model_goal). Offline,
' the note lists the rules that matched. Customers seen before are remembered in bot memory.
FUNCTION seen_before(customer)
  count = NVL(GET BOT MEMORY("orders_seen:" + customer), 0)
  SET BOT MEMORY "orders_seen:" + customer, count + 1
  RETURN count
END FUNCTION

FUNCTION explained(signals)
  note = LLM "In one sentence for a risk analyst, explain a fraud score of " + fraud_score + " for an order of " + total + " with these signals: " + signals
    WITH OPTIMIZE FOR fraud_model_goal
    WITH TASK "classify"
  IF note CONTAINS "[offline model]" THEN
    note = signals
  END IF
  RETURN note
END FUNCTION

fraud_score = 0
fraud_signals = []
IF ship_country <> billing_country THEN
  fraud_score = fraud_score + fraud_country_points
  fraud_signals.push("ships to " + ship_country + " but bills in " + billing_country)
END IF
IF total >= fraud_large_amount THEN
  fraud_score = fraud_score + fraud_large_points
  fraud_signals.push("total " + total + " is large")
END IF
IF seen_before(email) = 0 THEN
  fraud_score = fraud_score + fraud_new_customer_points
  fraud_signals.push("first order of " + email)
END IF
fraud_score = MIN(fraud_score, 100)

IF UBOUND(fraud_signals) = 0 THEN
  fraud_note = "no risk signal"
ELSE
  fraud_note = JOIN(fraud_signals, "; ")
END IF
fraud_note = explained(fraud_note)
TALK "Fraud score " + fraud_score + ": " + fraud_note
