' Checks: trap: STEP n: / BRANCH A: / ON TIMEOUT: colons, mixed case, and a STEP options block
Orchestrate Workflow "onboarding"
Step 1: BOT "hr" "create account"
Step 2: PARALLEL
  Branch A: TALK "laptop"
  Branch B: TALK "badge"
End Parallel
Step 3: Human Approval From "manager@corp.example"
  Timeout 60
  On Timeout: Approve
End Workflow
