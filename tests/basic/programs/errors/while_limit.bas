' Checks: an endless WHILE loop stops at the iteration limit (here 100) with a limit error naming the loop's line
n = 0
WHILE n >= 0
  n = n + 1
WEND
