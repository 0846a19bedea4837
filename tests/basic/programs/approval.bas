amount = 800
IF amount > 500 THEN
  HUMAN APPROVAL FROM "lead@corp.example"
    TIMEOUT 900
END IF
TALK "status " & approval_status & " by " & approver & ": " & approval_comment
IF approved THEN TALK "go"
