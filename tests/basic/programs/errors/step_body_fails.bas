' Checks: an error inside a STEP ends the step as failed (recorded) and then fails the run
ORCHESTRATE WORKFLOW "calc"
STEP 1: x = 1 / 0
TALK "never"
