' Checks: assignment forms: x = e, LET x = e, SET x = e, let (lower case), a.b = e, a["k"] = e, a[i] = e, SET a.b = e
x = 1
LET y = 2
SET z = 3
let w = 4
TALK x + y + z + w
o = {}
o.name = "Ana"
o["city"] = "Porto"
SET o.age = 30
TALK o
a = [0, 0, 0]
a[1] = "one"
i = 0
a[i] = "zero"
a[3] = "appended"
TALK a
box.inner = 5
TALK box
