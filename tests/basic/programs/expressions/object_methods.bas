' Checks: object methods keys(), values(), hasOwnProperty(), count
o = {"a": 1, "b": 2}
TALK o.keys()
TALK o.values()
TALK o.hasOwnProperty("b")
TALK o.hasOwnProperty("z")
TALK o.count
