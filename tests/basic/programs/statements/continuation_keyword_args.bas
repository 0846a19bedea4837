' Checks: continuation after a trailing comma in keyword statements and in a SUB call
TALK TO "ana@corp.example",
  "Olá"
SEND MAIL "ana@corp.example",
  "Pedido",
  "Seu pedido saiu"
Show("a",
  "b")
SUB Show(x, y)
  TALK x + y
END SUB
