counter = 10
SUB Bump(by)
  counter = counter + by
  temp = "local"
END SUB
CALL Bump(5)
Bump(1)
TALK counter
TALK temp IS NULL
FUNCTION Fact(n)
  IF n <= 1 THEN RETURN 1
  RETURN n * Fact(n - 1)
END FUNCTION
TALK Fact(10)
FUNCTION Shadow(counter)
  counter = counter * 2
  RETURN counter
END FUNCTION
TALK Shadow(3)
TALK counter
SUB Early(x)
  IF x > 0 THEN EXIT SUB
  TALK "not positive"
END SUB
Early(1)
Early(-1)
