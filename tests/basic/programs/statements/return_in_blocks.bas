' Checks: RETURN from inside SELECT CASE and FOR EACH within a FUNCTION
FUNCTION Kind(n)
  SELECT CASE n MOD 3
    CASE 0
      RETURN "fizz"
    CASE ELSE
      FOR EACH d IN [1, 2]
        IF n = d THEN RETURN "small"
      NEXT
  END SELECT
  RETURN "other"
END FUNCTION
FOR i = 1 TO 4
  TALK i + " " + Kind(i)
NEXT
