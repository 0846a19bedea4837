# Traps seen in real scripts
// double-slash comment
rem lower-case rem
Let total = 0
set count = 1
IF count <> 1 THEN TALK "never"
IF count != 2 AND NOT done THEN
    total = total + 1
Else If total == 2 Then
    total = 3
END IF
list = SPLIT("a,b,c", ",")
format = "YYYY"
date = FORMAT(NOW(), format)
file = "x.txt"
time = 12
min = MIN(1, 2)
max = MAX(3, 4)
map = #{a: 1}
filter = FILTER(list, "a")
userName = "Ana"
TALK "Hi " + username
msg = "Dear " + userName +
      ", welcome." &
      " Enjoy."
IF msg CONTAINS "welcome" THEN TALK "ok"
IF x IS NULL THEN x = "default"
label = total > 1 ? "many" : "one"
text = "Line one\nLine two\t\"quoted\" \\ backslash ${total}"
empty = IIF(ISEMPTY(x), "yes", "no")
items = [1, 2, 3]
IF items.contains(2) THEN TALK "has two"
EXIT
