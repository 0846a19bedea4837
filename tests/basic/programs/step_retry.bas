attempts = 0
SUB Flaky()
  attempts = attempts + 1
  TALK "attempt " & attempts
  IF attempts < 3 THEN THROW "flaky"
END SUB
STEP 1: CALL Flaky()
  RETRY 2
TALK "succeeded after " & attempts
