' Checks: ${expr} in ordinary strings: variables, arithmetic, members, indexes, calls, nested quotes
name = "Ana"
order = {"id": 42, "items": ["pen", "ink"], "total": 12.5}
TALK "Hello, ${name}!"
TALK "Order ${order.id} has ${UBOUND(order.items)} items"
TALK "Total: ${order.total * 2}"
TALK "First: ${order.items[0]}, upper: ${UCASE(name)}"
TALK "${name}${name}"
TALK "Sum ${1 + 2} and ${order.total > 10}"
TALK "Missing: [${order.customer}]"
msg = "Dear ${name}, you owe ${ROUND(order.total * 1.1, 2)}"
TALK msg
