SET BOT MEMORY "greeting", "hello"
g = GET BOT MEMORY("greeting")
TALK g
SET USER MEMORY "lang" AS "pt"
lang = GET USER MEMORY("lang")
TALK lang
REMEMBER "color", "blue", "30 days"
c = RECALL "color"
TALK c
SET "session.step", 2
s = GET "session.step"
TALK s
BOT SHARE MEMORY "best_reply" WITH "support-bot-2"
BOT SYNC MEMORY FROM "master-bot"
