' Checks: = == <> != < > <= >= on numbers; = compares inside an expression, assigns at statement start
a = 3
b = 5
TALK a = b
TALK a == 3
TALK a <> b
TALK a != b
TALK a < b
TALK a > b
TALK a <= 3
TALK b >= 6
same = a = 3
TALK same
TALK 1 + 2 = 3
