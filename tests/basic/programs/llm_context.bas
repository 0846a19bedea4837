USE KB "manuals"
USE TOOL "weather"
ADD TOOL "calendar"
CLEAR TOOLS
USE MODEL "fast"
SET CONTEXT "company", "ACME"
SET CONTEXT "Be brief"
BEGIN SYSTEM PROMPT
  You are a helpful bot.
  Answer in English.
END SYSTEM PROMPT
answer = LLM "Summarise the case"
TALK answer
summary = LLM "Short" WITH OPTIMIZE FOR "cost"
TALK summary
BEGIN TALK
  Hello ${answer}
  Bye
END TALK
