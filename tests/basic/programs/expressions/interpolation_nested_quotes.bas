' Checks: ${expr} may hold any expression, including string literals with their own quotes
name = "Ana"
total = 1234.5
TALK "Hi ${name + "!"}"
TALK "You owe ${FORMAT(total, "#,##0.00")} today"
TALK "${IIF(total > 1000, "big", "small")} order"
