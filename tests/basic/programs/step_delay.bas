STEP 4: BOT "followup" "check back later"
  DELAY 86400
TALK "ok"
