SET "session.step" = 2
SET SESSION "lang", "pt"
v = GET SESSION "step"
TALK v
lang = GET "session.lang"
TALK lang
key = GET "config", "api-key"
TALK key
' an attendant script names the session first: the script's own session is read
sid = "session-1"
v2 = GET SESSION sid, "lang"
TALK v2
