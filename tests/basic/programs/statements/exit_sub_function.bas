' Checks: EXIT SUB and EXIT FUNCTION return early; a FUNCTION that ends without RETURN gives NULL
SUB Check(n)
  IF n < 0 THEN EXIT SUB
  TALK "checked " + n
END SUB
FUNCTION Half(n)
  IF n MOD 2 = 1 THEN EXIT FUNCTION
  RETURN n / 2
END FUNCTION
FUNCTION Nothing()
  x = 1
END FUNCTION
Check(-1)
Check(4)
TALK Half(8)
TALK Half(7) IS NULL
TALK Nothing() IS NULL
