' Checks: a list index must be a whole number
a = [1, 2, 3]
TALK a[1]
TALK a[1.5]
