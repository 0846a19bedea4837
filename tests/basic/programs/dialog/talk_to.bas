' Checks: TALK TO who, message sends to another user; both arguments may be expressions
manager = "+5511999990000"
TALK TO manager, "New order from Ana"
TALK TO "ana@corp.example", "Total: " + 10 * 2
TALK "done"
