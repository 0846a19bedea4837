' Checks: arithmetic on non-numeric text fails naming both types and the text
qty = "two"
total = qty * 2
