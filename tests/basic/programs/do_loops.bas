n = 0
DO WHILE n < 3
  n = n + 1
LOOP
TALK "while: " & n
DO UNTIL n = 0
  n = n - 1
LOOP
TALK "until: " & n
DO
  n = n + 2
LOOP WHILE n < 5
TALK "post-test: " & n
m = 3
WHILE m > 0
  m = m - 1
WEND
TALK "wend: " & m
DO
  m = m + 1
  IF m = 4 THEN EXIT DO
LOOP
TALK "exit do: " & m
FOR i = 1 TO 10
  IF i = 3 THEN BREAK
NEXT
TALK "break at " & i
c = 0
DO
  c = c + 1
LOOP UNTIL c >= 2
TALK "loop until: " & c
