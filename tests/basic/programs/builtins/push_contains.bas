' Checks: PUSH(list, item) appends in place and returns the list; PUSH on NULL starts a list; CONTAINS(container, item)
items = ["a"]
items = PUSH(items, "b")
TALK items
r = PUSH(items, "c")
TALK items
TALK r = items
fresh = PUSH(NULL, 1)
TALK fresh
TALK CONTAINS(items, "b")
TALK CONTAINS("Hello", "ELL")
TALK CONTAINS(items, "z")
