' Checks: trap: keyword names used as variables: list, date, format, count, file, time, min, max, map, filter
list = ["b", "a", "c"]
date = "2026-03-05"
format = "DD/MM/YYYY"
count = 0
file = "relatorio.pdf"
time = "14:30"
min = 1
max = 10
map = {"a": 1}
filter = "city = Porto"
FOR EACH item IN list
  count = count + 1
NEXT
TALK count
TALK FORMAT(date, format)
TALK file + " at " + time
TALK min + max
TALK map.a
TALK filter
