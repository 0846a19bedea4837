' Checks: MOD by zero fails with "division by zero" naming the line; the transcript before the failure is kept
TALK "start"
x = 10 MOD 0
TALK "never"
