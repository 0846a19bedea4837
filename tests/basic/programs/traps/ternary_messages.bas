' Checks: trap: ternaries in real messages (c ? a : b), nested and inside interpolation-free concatenation
total = 150
frete = total > 100 ? 0 : 10
TALK "Frete: " + (frete = 0 ? "grátis" : "R$ " + frete)
itens = 1
TALK "Você tem " + itens + (itens = 1 ? " item" : " itens")
nivel = total > 1000 ? "ouro" : total > 100 ? "prata" : "bronze"
TALK nivel
