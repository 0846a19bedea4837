ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: BOT "triage" "classify the ticket"
IF amount > 500 THEN
  STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
    TIMEOUT 900
    ON TIMEOUT: ESCALATE TO "boss@corp.example"
END IF
STEP 3: PARALLEL
  BRANCH A: BOT "payments" "issue refund"
  BRANCH B: BOT "stock" "restock item"
END PARALLEL
STEP 4: BOT "followup" "check back later"
  DELAY 86400
ON EVENT "refund_failed" DO
  TALK "A refund failed; a person will call you."
END ON
PUBLISH EVENT "refund_done" WITH {"amount": amount}
data = WAIT FOR EVENT "payment_confirmed" TIMEOUT 3600
BOT SHARE MEMORY "best_reply" WITH "support-bot-2"
BOT SYNC MEMORY FROM "master-bot"
summary = LLM "Summarise the case" WITH OPTIMIZE FOR "cost"
END WORKFLOW
