TALK "asking"
HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 60
  ON TIMEOUT: CANCEL
TALK "never"
