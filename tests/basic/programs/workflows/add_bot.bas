' Checks: ADD BOT "b" WITH TRIGGER "words" and USE MODEL inside a workflow
ORCHESTRATE WORKFLOW "team"
ADD BOT "billing" WITH TRIGGER "invoice, payment"
USE MODEL "fast"
END WORKFLOW
