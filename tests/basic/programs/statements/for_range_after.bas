' Checks: after FOR the variable holds the first value past the end (classic BASIC); the bound is evaluated once
FOR i = 1 TO 3
NEXT
TALK i
n = 3
FOR j = 1 TO n
  n = 10
NEXT
TALK j
total = 0
FOR k = 10 TO 1 STEP -3
  total = total + k
NEXT
TALK total
TALK k
