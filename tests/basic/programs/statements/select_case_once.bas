' Checks: SELECT CASE evaluates its subject once, however many CASEs are tried
calls = 0
FUNCTION NextValue()
  calls = calls + 1
  RETURN 3
END FUNCTION
SELECT CASE NextValue()
  CASE 1
    TALK "one"
  CASE 2
    TALK "two"
  CASE 3
    TALK "three"
END SELECT
TALK "calls: " + calls
