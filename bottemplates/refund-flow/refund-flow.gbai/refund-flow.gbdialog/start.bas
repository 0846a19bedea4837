' Refund flow: triage the ticket, ask a person for large amounts, refund and restock in
' parallel, then follow up a day later. Variables: amount, order_id; the approvers, the amount
' that needs one, its timeout and the follow-up delay are config.csv rows.
ORCHESTRATE WORKFLOW "refund-flow"

STEP 1: BOT "triage" "classify the ticket"

approved = TRUE
IF amount > approval_amount THEN
  STEP 2: HUMAN APPROVAL FROM approve_from
    TIMEOUT approval_timeout
    ON TIMEOUT: ESCALATE TO escalate_to
END IF

IF approved THEN
  STEP 3: PARALLEL
    BRANCH A: BOT "payments" "issue refund"
    BRANCH B: BOT "stock" "restock item"
  END PARALLEL
  STEP 4: BOT "followup" "check back later"
    DELAY followup_delay
  PUBLISH EVENT "refund_done" WITH {"order_id": order_id, "amount": amount}
  TALK "Refund " + refund_id + " done for order " + order_id + "."
ELSE
  TALK "Refund for order " + order_id + " was rejected: " + approval_comment
END IF
END WORKFLOW
