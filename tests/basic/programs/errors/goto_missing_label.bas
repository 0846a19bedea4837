' Checks: GOTO to a label that does not exist fails when executed
TALK "a"
GOTO nowhere
