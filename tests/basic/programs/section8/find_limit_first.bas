' FIND ... ORDER BY a DESC, b ... LIMIT n, and a trailing FIRST (one row or NULL)
SAVE "deals", {"owner": "ana", "value": 10, "name": "c"}
SAVE "deals", {"owner": "ana", "value": 30, "name": "b"}
SAVE "deals", {"owner": "bob", "value": 30, "name": "a"}
top = FIND "deals" ORDER BY value DESC, name LIMIT 2
TALK UBOUND(top) + ": " + top[0].name + " " + top[1].name
mine = FIND "deals" WHERE owner = "ana" ORDER BY value DESC LIMIT 1
TALK mine[0].value
one = FIND "deals" WHERE owner = "bob" FIRST
TALK one.name
none = FIND "deals" WHERE owner = "cid" FIRST
TALK ISNULL(none)
