FOR i = 1 TO 3
  TALK i
NEXT
FOR i = 10 TO 1 STEP -4
  TALK "down " & i
NEXT i
total = 0
FOR k = 1 TO 100
  total = total + k
NEXT
TALK total
TALK "k after loop: " & k
FOR j = 5 TO 1
  TALK "never"
NEXT
FOR x = 0 TO 1 STEP 0.5
  TALK x
NEXT
