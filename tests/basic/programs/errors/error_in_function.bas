' Checks: an error inside a FUNCTION names the line of the failing statement inside the function
FUNCTION Ratio(a, b)
  RETURN a / b
END FUNCTION
TALK Ratio(6, 3)
TALK Ratio(1, 0)
