' Checks: trap: ${} in ordinary strings used as TALK text, keyword arguments and JSON values
nome = "Ana"
pedido = {"id": 42, "total": 99.9}
TALK "Olá ${nome}, seu pedido ${pedido.id} custa R$ ${pedido.total}"
SET CONTEXT "cliente", "Cliente ${nome} tem o pedido ${pedido.id}"
resumo = {"texto": "Pedido ${pedido.id} de ${nome}"}
TALK resumo.texto
TALK "Itens: ${UBOUND([1, 2, 3])}"
