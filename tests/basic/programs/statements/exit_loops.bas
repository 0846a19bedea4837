' Checks: EXIT FOR, EXIT DO, EXIT WHILE and BREAK leave their loop
FOR i = 1 TO 10
  IF i = 3 THEN EXIT FOR
  TALK "for " + i
NEXT
n = 0
DO
  n = n + 1
  IF n > 2 THEN EXIT DO
LOOP
TALK "do " + n
WHILE TRUE
  n = n + 1
  IF n = 5 THEN EXIT WHILE
WEND
TALK "while " + n
FOR EACH x IN ["a", "b", "c"]
  IF x = "b" THEN BREAK
  TALK "each " + x
NEXT
