n = 0
DO WHILE TRUE
  n = n + 1
LOOP
