' Checks: recursive FUNCTIONs keep their own parameters per call (factorial, fibonacci)
FUNCTION Fact(n)
  IF n <= 1 THEN
    RETURN 1
  END IF
  RETURN n * Fact(n - 1)
END FUNCTION
FUNCTION Fib(n)
  IF n < 2 THEN RETURN n
  RETURN Fib(n - 1) + Fib(n - 2)
END FUNCTION
TALK Fact(5)
TALK Fact(12)
TALK Fib(15)
