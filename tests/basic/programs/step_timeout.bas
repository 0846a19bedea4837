STEP 1: BOT "slow" "long job"
  TIMEOUT 60
  ON TIMEOUT: APPROVE
TALK "continued"
STEP 2: BOT "slow" "again"
  TIMEOUT 30
TALK "never"
