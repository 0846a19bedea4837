' Checks: FOR with STEP 0 never ends on its own: the iteration limit stops it
FOR i = 1 TO 5 STEP 0
  x = i
NEXT
