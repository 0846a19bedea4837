SET BOT MEMORY "greeting", "Olá! Bem-vindo."
SET_BOT_MEMORY "last_run" AS NOW()
g = GET BOT MEMORY "greeting"
SET USER MEMORY "language", "pt"
lang = GET USER MEMORY("language")
REMEMBER "last_order", orderId, "30 days"
last = RECALL "last_order"
SET "session.step", 2
step = GET "session.step"
IF step > 1 THEN TALK g
