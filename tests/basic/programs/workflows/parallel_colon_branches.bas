' Checks: PARALLEL with BRANCH X: statement outside a STEP; branch variables merge; a variable written by two branches is logged
PARALLEL
  BRANCH A: TALK "hello from A"
  BRANCH B: total = 5
  BRANCH C: total = 7
END PARALLEL
TALK "total " + total
