' Checks: trap: one variable spelled in two cases across a script (userName / username / USERNAME)
HEAR userName
IF username = "" THEN
  username = "visitante"
END IF
TALK "Olá " + USERNAME
SUB Saudar()
  TALK "Tchau " + UserName
END SUB
Saudar()
