' Checks: HUMAN APPROVAL ... ON TIMEOUT: APPROVE WITH WARNING decides approved, the trailing words are the comment, no approver
HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 60
  ON TIMEOUT: APPROVE WITH WARNING
TALK approval_status
TALK approval_comment
TALK approved
TALK approver IS NULL
