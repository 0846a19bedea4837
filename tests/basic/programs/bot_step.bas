ORCHESTRATE WORKFLOW "support"
ticket = "my order broke"
STEP 1: BOT "triage" "classify the ticket"
TALK "category: " & category
STEP 2: BOT "followup" "check back later"
END WORKFLOW
TALK "done"
