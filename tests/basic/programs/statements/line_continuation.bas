' Checks: implicit continuation while ( [ { are open and after a trailing , + & AND OR
total = SUM(1,
  2,
  3)
TALK total
msg = "Hello, " +
  "world"
TALK msg
s = "a" &
  "b" &
  "c"
TALK s
ok = 1 = 1 AND
  2 = 2
TALK ok
either = FALSE OR
  TRUE
TALK either
list1 = [
  "x",
  "y"
]
TALK list1
TALK JOIN(["p",
  "q"], "-")
