' Checks: an uncaught THROW inside a SUB ends the run with "script error: value" at the THROW's line
SUB Validate(id)
  IF id < 0 THEN
    THROW "pedido " + id + " inválido"
  END IF
  TALK "ok " + id
END SUB
Validate(7)
Validate(-3)
TALK "never"
