' Checks: IF / ELSE IF (two words) / ELSEIF / ELSE / END IF: the first true branch runs
FOR EACH n IN [5, 15, 25, 35]
  IF n < 10 THEN
    TALK n + " small"
  ELSE IF n < 20 THEN
    TALK n + " medium"
  ELSEIF n < 30 THEN
    TALK n + " large"
  ELSE
    TALK n + " huge"
  END IF
NEXT
