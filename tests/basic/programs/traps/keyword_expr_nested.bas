' Checks: trap: keyword expressions nest and take the rest of the expression: TALK LLM ..., RETURN FIND ...
INSERT INTO "faq" VALUES {"q": "horario", "a": "8h"}
TALK LLM "Resuma: " + "horario"
RETURN FIND "faq", "q=horario"
