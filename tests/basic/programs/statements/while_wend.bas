' Checks: WHILE c ... WEND and WHILE c ... END WHILE
i = 0
WHILE i < 3
  TALK "wend " + i
  i = i + 1
WEND
WHILE i > 0
  i = i - 2
END WHILE
TALK i
