SET "session.step" = 2
SET SESSION "lang", "pt"
v = GET SESSION "step"
TALK v
lang = GET "session.lang"
TALK lang
key = GET "config", "api-key"
TALK key
