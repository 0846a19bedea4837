' Checks: trap: IS NULL / IS NOT NULL and CONTAINS in real conditions (answers, lists of words, missing fields)
cliente = {"nome": "Ana"}
IF cliente.email IS NULL THEN TALK "sem email"
IF cliente.nome IS NOT NULL AND cliente.nome CONTAINS "an" THEN TALK "nome com an"
resposta = "Quero CANCELAR meu pedido"
palavras = ["cancelar", "desistir"]
FOR EACH w IN palavras
  IF resposta CONTAINS w THEN
    TALK "pedido de cancelamento (" + w + ")"
  END IF
NEXT
IF palavras CONTAINS "desistir" THEN TALK "lista tem desistir"
