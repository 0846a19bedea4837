' Checks: EXIT FOR leaves only the inner loop; BREAK leaves the innermost loop; EXIT DO crosses an inner FOR
FOR i = 1 TO 2
  FOR j = 1 TO 3
    IF j = 2 THEN EXIT FOR
    TALK i + "." + j
  NEXT j
  k = 0
  DO
    k = k + 1
    IF k = 2 THEN BREAK
  LOOP
  TALK "k=" + k
NEXT i
m = 0
DO
  FOR q = 1 TO 5
    m = m + 1
    IF q = 2 THEN EXIT DO
  NEXT
LOOP
TALK "m=" + m
