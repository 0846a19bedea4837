' Checks: an unknown function fails when called, and the message keeps the name as written (BASIC.md §1: original spelling for messages)
TALK "before"
total = calcularTotal(5)
