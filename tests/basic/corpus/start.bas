REM Entry point of the support bot
' Runs when a conversation starts.
USE KB "products"
USE TOOL "order-status"
USE TOOL "weather"
SET CONTEXT "company", "ACME sells bicycles and spare parts."

BEGIN SYSTEM PROMPT
You are the ACME assistant. Be brief and friendly.
Never promise refunds; say a person will review it.
Today is ${FORMAT(TODAY(), "DD/MM/YYYY")}.
END SYSTEM PROMPT

CLEAR SUGGESTIONS
ADD SUGGESTION "orders" AS "Where is my order?"
ADD SUGGESTION "parts" AS "Spare parts"
ADD SUGGESTION "Talk to a person"

greeting = GET BOT MEMORY("greeting")
IF greeting IS NULL OR greeting = "" THEN
    greeting = "Hello! How can I help you today?"
END IF
TALK greeting
