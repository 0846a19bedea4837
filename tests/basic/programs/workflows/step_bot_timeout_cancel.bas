' Checks: a BOT step that times out with ON TIMEOUT: CANCEL cancels the whole run
ORCHESTRATE WORKFLOW "slow-flow"
STEP 1: BOT "slow" "crunch numbers"
  TIMEOUT 120
  ON TIMEOUT: CANCEL
TALK "never"
