' Checks: in a STEP the option lines belong to the step; ON TIMEOUT: REJECT (no note) rejects; rejection does not fail the step
ORCHESTRATE WORKFLOW "expense"
STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 300
  ON TIMEOUT: REJECT
TALK approval_status + " " + approved
TALK approval_comment IS NULL
END WORKFLOW
