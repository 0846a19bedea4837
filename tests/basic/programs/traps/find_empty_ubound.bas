' Checks: trap: FIND returns a list; UBOUND(list) = 0 is how real scripts test "nothing found"
rows = FIND "clientes", "cpf=123"
IF UBOUND(rows) = 0 THEN
  TALK "cliente não encontrado"
END IF
SAVE "clientes", {"cpf": "123", "nome": "Ana"}
rows = FIND "clientes", "cpf=123"
IF UBOUND(rows) > 0 THEN TALK "encontrado: " + rows[0].nome
