' Checks: WAIT seconds is a durable sleep; fractions allowed; the value may be an expression
TALK "before"
WAIT 2
WAIT 0.5
n = 3
WAIT n * 10
TALK "after"
