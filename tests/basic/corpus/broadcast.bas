TALK "Type the message you want to send:"
HEAR message

TALK "Checking the template..."
report = LLM "Will WhatsApp approve this message as a template? Answer OK or explain: " + message

IF report <> "OK" THEN
    TALK "The message may be rejected: " + report
END IF

list = FIND "contacts.xlsx", "Perfil=" + grupo
index = 1
DO WHILE index < UBOUND(list)
    row = list[index]
    TALK TO row.telefone, message
    WAIT 0.1
    index = index + 1
LOOP

TALK "Done. ${UBOUND(list)} messages sent."
