' Checks: RANDOM() in [0, 1); RANDOM(n) whole 0..n-1; RANDOM(a, b) in a..b; picking a random item (properties only)
ok = TRUE
FOR i = 1 TO 50
  r = RANDOM()
  IF r < 0 OR r >= 1 THEN ok = FALSE
  k = RANDOM(3)
  IF k <> INT(k) OR k < 0 OR k > 2 THEN ok = FALSE
  d = RANDOM(5, 7)
  IF d < 5 OR d > 7 THEN ok = FALSE
NEXT
TALK ok
list1 = ["a", "b", "c"]
pick = list1[RANDOM(COUNT(list1))]
TALK list1 CONTAINS pick
