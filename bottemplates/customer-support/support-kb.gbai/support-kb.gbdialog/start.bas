' BOT "support-kb": an answer from the help articles (support-kb.gbkb/help), citing the one it
' used. No article that fits (the model says NO_ANSWER, or cites none): kb_answered is FALSE
' and the workflow hands the case to a person. Sets kb_answered, kb_answer and kb_source.
USE KB "help"
kb_answer = LLM "Answer the customer's question from the help articles and cite the article you used. " +
  "If the articles do not cover it, answer only NO_ANSWER. Question: " + question
  WITH OPTIMIZE FOR answer_goal
  WITH TASK "chat"

kb_source = ""
start = INSTR(kb_answer, "[help/")
IF start > 0 AND NOT (kb_answer CONTAINS "NO_ANSWER") THEN
  kb_source = MID(kb_answer, start + 1, INSTR(MID(kb_answer, start), "]") - 2)
END IF
kb_answered = kb_source <> ""
IF kb_answered THEN
  TALK "Answered from " + kb_source + "."
ELSE
  TALK "The help articles do not cover this question."
END IF
