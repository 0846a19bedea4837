' Checks: a BOT step timing out with ON TIMEOUT: REJECT fails the step ("step N timed out after s seconds")
STEP 7: BOT "slow" "crunch numbers"
  TIMEOUT 45
  ON TIMEOUT: REJECT
TALK "never"
