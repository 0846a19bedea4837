USE KB "faq"
SET CONTEXT "tone" AS "Answer in Portuguese, in at most three sentences."

DO
    HEAR question
    IF question = "sair" OR question = "exit" THEN
        EXIT DO
    END IF
    answer = LLM "Answer the customer question: " + question
    TALK answer
LOOP

TALK "Até logo!"
