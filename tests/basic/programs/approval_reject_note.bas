HUMAN APPROVAL FROM "lead@corp.example"
  TIMEOUT 60
  ON TIMEOUT: REJECT ORDER
TALK approval_status & " / " & approval_comment & " / approved=" & approved
TALK "approver null: " & (approver IS NULL)
