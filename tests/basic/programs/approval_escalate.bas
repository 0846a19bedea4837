ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 900
  ON TIMEOUT: ESCALATE TO "boss@corp.example"
TALK approval_status & " by " & approver
END WORKFLOW
