items = []
PUSH(items, 3)
CALL PUSH(items, 4)
TALK items
TALK UBOUND(items)
