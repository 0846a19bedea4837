' Checks: trap: multi-word keywords written with underscores act like the spaced forms
SET_BOT_MEMORY "ultimo", "ok"
ADD_TOOL "consultar-pedido"
USE_KB "manuais"
SET_CONTEXT "regras", "seja breve"
CLEAR_SUGGESTIONS
ADD_SUGGESTION "Ajuda"
CREATE_TASK "Ligar para Ana", "amanhã"
SEND_MAIL "ana@corp.example", "Assunto", "Corpo"
v = GET_BOT_MEMORY("ultimo")
TALK v
