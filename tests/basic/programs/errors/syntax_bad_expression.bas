' Checks: syntax error: an operator with no operand
x = 1 +* 2
