' ${expr} outside a string joins its value to the text before it, as inside a string
items = ["pen", "ink"]
TALK "found: " ${JOIN(items, ", ")}
TALK ${LEN(items)} + 1
n = 2
TALK "n is " ${n * 10} + "!"
