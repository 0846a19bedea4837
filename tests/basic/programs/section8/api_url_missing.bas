TALK "before"
r = CALL "/crm/tickets", 1
