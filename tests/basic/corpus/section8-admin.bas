' An admin dialog in the style of real packages: metrics report, user context, form handler
PARAM period AS "the period to report, like 24h or 7d" OPTIONAL DEFAULT "24h"
DESCRIPTION "Reports the bot's activity and follows up on landing-page leads"

ON FORM SUBMIT "landing-page"
    lead_email = fields.email
    lead_source = NVL(metadata.utm_source, "direct")
    SET BOT MEMORY "last_lead", lead_email
    TALK "New lead: " + lead_email + " from " + lead_source
END ON

messages = QUERY METRICS "messages" FOR period
hourly = QUERY METRICS "messages" FOR period BY "1h"
previous = QUERY METRICS "messages" FOR period OFFSET 1
tokens = QUERY METRICS "llm_tokens" FOR "7d" BY "1d"
total = SUM(messages, "count")
before = SUM(previous, "count")
IF before > 0 THEN
    trend = (total - before) / before * 100
ELSE
    trend = 0
END IF
TALK "Messages: " + total + " (" + FORMAT(trend, "0") + "% vs the period before)"
TALK "Tokens this week: " + SUM(tokens, "total_tokens")
TALK "Busiest hour: " + LAST(SORT(hourly, "count")).time

HEAR user_id AS TEXT WITH "Which user should I update?"
SET USER user_id
SET USER MEMORY "reviewed_at", FORMAT_DATE(NOW(), "Y-m-d")
SET USER "kyc_status", "verified"
SET USER ""
TALK "Updated " + user_id
HEAR anything AS "done", *
