' Checks: DELAY s as a statement is a durable sleep like WAIT; the seconds may be an expression
TALK "start"
DELAY 3600
hours = 2
DELAY hours * 3600
TALK "end"
