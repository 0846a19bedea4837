' A tool in the style of real packages: parameter names that are keywords, free-text types
PARAM description AS STRING DESCRIPTION "What the customer wants"
PARAM type AS "kind of request, e.g. refund or question"
PARAM date AS DATE OPTIONAL
DESCRIPTION "Registers a customer request and answers with its number"

SET "session.last_type" = type
SET SESSION "lang", "pt"
api = GET "config", "api-url"
ticket = CALL "/crm/tickets", #{description: description, type: type, date: date}
SAVE "requests" WITH number AS ticket.id, type AS type, created AS NOW()
mood = ANALYZE SENTIMENT description
IF mood = "negative" THEN
    SEND SMS "+5511999999999", "Unhappy customer: " + description
END IF
RETURN WITH number AS ticket.id, mood AS mood
