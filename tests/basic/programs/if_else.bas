FUNCTION Grade(n)
  IF n >= 90 THEN
    RETURN "A"
  ELSE IF n >= 80 THEN
    RETURN "B"
  ELSEIF n >= 70 THEN
    RETURN "C"
  ELSE
    RETURN "F"
  END IF
END FUNCTION
TALK Grade(95)
TALK Grade(85)
TALK Grade(75)
TALK Grade(10)
x = 5
IF x > 3 THEN TALK "big"
IF x > 30 THEN TALK "huge"
done = FALSE
IF x = 5 AND NOT done THEN
  TALK "five"
END IF
