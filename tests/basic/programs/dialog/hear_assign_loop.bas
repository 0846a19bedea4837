' Checks: the v = HEAR form inside a loop, collecting answers until "done"
items = []
DO
  item = HEAR
  IF item = "done" THEN EXIT DO
  items.push(item)
LOOP
TALK "You listed " + UBOUND(items) + ": " + JOIN(items, ", ")
