' Checks: trap: a bare EXIT ends the script from inside a menu loop (single-line IF ... THEN EXIT)
DO
  HEAR opcao AS "Pedidos", "Sair" WITH "Escolha uma opção"
  IF opcao = "Sair" THEN EXIT
  TALK "Você escolheu " + opcao
LOOP
TALK "nunca"
