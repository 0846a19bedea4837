FOR i = 1 TO 3
  FOR j = 1 TO 3
    IF j = 2 THEN EXIT FOR
    TALK i & "-" & j
  NEXT
NEXT
