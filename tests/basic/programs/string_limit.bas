s = "x"
FOR i = 1 TO 20
  s = s & s
NEXT
