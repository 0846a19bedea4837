total = 0
FOR i = 1 TO 5000
  total = total + i
NEXT
