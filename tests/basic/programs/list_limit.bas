items = []
FOR i = 1 TO 20
  items.push(i)
NEXT
