' Employee onboarding: several bots, one approval, events
ORCHESTRATE WORKFLOW onboarding BUDGET 2.50

STEP 1: BOT "hr-bot", "create the employee record for " + employee
  RETRY 2
STEP 2: PARALLEL
  BRANCH it
    BOT "it-bot" "create accounts"
    TALK "IT accounts requested"
  END BRANCH
  BRANCH facilities: BOT "facilities-bot" "prepare a desk"
END PARALLEL
STEP 3: HUMAN APPROVAL FROM manager
  TIMEOUT 172800
  ON TIMEOUT: APPROVE WITH WARNING

IF approved THEN
  PUBLISH EVENT employee.onboarded WITH #{name: employee, by: approver}
ELSE
  TALK "Onboarding rejected: " + approval_comment
END IF
END WORKFLOW
