' Checks: a person rejecting (not a timeout): approved is false, approver and comment come from the decision
amount = 9000
STEP 1: HUMAN APPROVAL FROM "cfo@corp.example"
  TIMEOUT 3600
IF approved THEN
  TALK "paying " + amount
ELSE
  TALK "rejected by " + approver + ": " + approval_comment
END IF
