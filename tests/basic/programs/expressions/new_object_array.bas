' Checks: NEW OBJECT and NEW ARRAY start empty; members and items are added afterwards
o = NEW OBJECT
TALK o
o.name = "Ana"
o.score = 7
a = NEW ARRAY
TALK UBOUND(a)
a.push(1)
a.push("two")
TALK o
TALK a
TALK UBOUND(a)
TALK o.name + " " + o.score
