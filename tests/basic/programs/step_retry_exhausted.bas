SUB Broken()
  THROW "always"
END SUB
STEP 7: CALL Broken()
  RETRY 1
TALK "never"
