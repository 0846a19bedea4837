PARAM sender AS STRING
PARAM body AS STRING

# platform API calls parse as unsupported statements
history = CALL "/storage/json", ".gbdata/logs", "from = '${sender}' LIMIT 10"
ticket = CALL "/crm/tickets/create", {
    "customer": sender,
    "priority": urgency > 0.7 ? "High" : "Normal"
}
reply = REWRITE "Based on this email: ${body}
  Generate a short, polite auto-reply."
CALL "/comm/email/send", sender, "Re: your message",
    reply
DIM attempts AS INTEGER = 0
CONST LIMIT = 3
WHILE attempts < LIMIT
    attempts += 1
END WHILE
PRINT "attempts: "; attempts
