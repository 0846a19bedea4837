' Checks: trap: the three FOR EACH closers (NEXT, NEXT item, END FOR) in one real-looking script, mixed case
produtos = ["arroz", "feijão", "café"]
For Each p In produtos
  TALK "- " + p
Next
total = 0
FOR EACH p IN [10, 20]
  total = total + p
NEXT p
for each p in produtos
  if p = "café" then talk "tem café"
end for
TALK "total " + total
