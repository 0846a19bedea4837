ticket = CALL "/crm/tickets", #{title: "Broken"}
TALK ticket.id
CALL "/comm/notify", "ana@example.com", "hi"
status = GET "/status"
TALK status.up
POST "/items", {"a": 1}
