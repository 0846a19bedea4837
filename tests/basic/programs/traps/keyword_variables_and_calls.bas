' Checks: trap: a variable named like a builtin does not hide the builtin call: count = COUNT(list), max = MAX(...), first = FIRST(...)
list = [4, 9, 2]
count = COUNT(list)
max = MAX(list)
min = MIN(list)
first = FIRST(list)
last = LAST(list)
TALK count + " items, max " + max + ", min " + min
TALK first + " .. " + last
date = DATEADD("2026-01-31", 1, "month")
TALK date
