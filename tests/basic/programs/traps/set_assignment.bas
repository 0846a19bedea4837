' Checks: trap: SET x = e assignments (also with members and keyword-named variables) next to SET keywords
SET total = 10
SET total = total + 5
SET count = 1
SET pedido = {}
SET pedido.status = "novo"
SET BOT MEMORY "total", total
TALK total
TALK count
TALK pedido.status
