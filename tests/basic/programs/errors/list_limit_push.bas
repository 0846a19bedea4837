' Checks: a list growing through .push stops at the list size limit (here 10)
items = []
FOR i = 1 TO 100
  items.push(i)
NEXT
