' Checks: FOR i = a TO b [STEP s]: inclusive bounds, NEXT i, STEP 5, negative STEP, zero iterations, fractional STEP
FOR i = 1 TO 3
  TALK "up " + i
NEXT i
FOR i = 0 TO 10 STEP 5
  TALK "step " + i
NEXT
FOR i = 3 TO 1 STEP -1
  TALK "down " + i
NEXT
FOR i = 5 TO 1
  TALK "never"
NEXT
FOR i = 1 TO 2 STEP 0.5
  TALK i
NEXT
