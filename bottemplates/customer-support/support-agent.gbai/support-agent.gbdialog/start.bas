' BOT "support-agent": the person who approved the escalation takes the case over. The
' customer's history arrives in memory shared by customer-support; the case goes to the CRM
' (config crm_url, when set: a failure fails the step, which the workflow retries). Sets
' agent_reply, returning_customer and crm_id.
BOT SYNC MEMORY FROM "customer-support"
history = GET BOT MEMORY("customer:" + customer)
earlier = 0
IF NOT ISEMPTY(history) THEN
  earlier = UBOUND(history.tickets) - 1
END IF
returning_customer = earlier > 0

IF ISEMPTY(approval_comment) THEN
  agent_reply = "Hello, this is " + approver + " from support: I am looking into ticket " + ticket_id +
    " and will write back today."
ELSE
  agent_reply = approval_comment
END IF
IF returning_customer THEN
  agent_reply = agent_reply + " (We see " + earlier + " earlier ticket(s) of yours; we keep them in mind.)"
END IF

crm_id = ""
IF NOT ISEMPTY(crm_url) THEN
  recorded = POST crm_url, {"ticket": ticket_id, "customer": customer, "category": category, "urgency": urgency,
    "question": question, "notes": customer_notes, "agent": approver}
  crm_id = recorded.id ?? ticket_id
END IF
TALK approver + " took ticket " + ticket_id + " (" + category + ")."
