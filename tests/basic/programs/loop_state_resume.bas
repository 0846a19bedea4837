total = 0
FOR i = 1 TO 3
  WAIT 1
  total = total + i
NEXT
TALK "total " & total & " i " & i
k = 0
DO
  k = k + 1
  DELAY 1
LOOP UNTIL k = 2
TALK "k " & k
