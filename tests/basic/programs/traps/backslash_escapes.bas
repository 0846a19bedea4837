' Checks: trap: backslash escapes in real messages: \n line breaks, \" quotes inside, \\ in paths, \t
TALK "Menu:\n1 - Pedidos\n2 - Suporte"
TALK "Digite \"sair\" para encerrar"
path = "C:\\bots\\vendas"
TALK path
TALK LEN("a\tb") = 3
