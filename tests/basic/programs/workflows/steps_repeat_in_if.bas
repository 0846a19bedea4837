' Checks: STEP numbers may repeat in both arms of an IF; a STEP may wrap any statement (no output recorded then)
ORCHESTRATE WORKFLOW "triage"
priority = "high"
IF priority = "high" THEN
  STEP 2: BOT "urgent" "page on-call"
ELSE
  STEP 2: BOT "queue" "add to queue"
END IF
STEP 3: TALK "step three says hi"
END WORKFLOW
