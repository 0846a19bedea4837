' Checks: ON TIMEOUT: ESCALATE TO asks the second person once with the same timeout; a second timeout is final
HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 120
  ON TIMEOUT: ESCALATE TO "boss@corp.example"
TALK approval_status
TALK approved
