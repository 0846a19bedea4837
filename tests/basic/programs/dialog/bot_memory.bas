' Checks: SET BOT MEMORY k, v / k AS v; GET BOT MEMORY(k) / GET BOT MEMORY k; USER memory; underscore spellings
SET BOT MEMORY "greeting", "Welcome!"
SET BOT MEMORY "visits" AS 3
g = GET BOT MEMORY("greeting")
TALK g
v = GET BOT MEMORY "visits"
TALK v + 1
SET USER MEMORY "lang", "pt"
TALK GET USER MEMORY("lang")
SET_BOT_MEMORY "k2", "v2"
TALK GET_BOT_MEMORY("k2")
m = GET BOT MEMORY("missing")
TALK m IS NULL
