' FIND ... FIRST n / LAST n keep the first / last n rows; FILTER ... WHERE takes any comparison
SAVE "sales", {"rep": "ana", "total": 120, "region": "north"}
SAVE "sales", {"rep": "bob", "total": 80, "region": "south"}
SAVE "sales", {"rep": "cid", "total": "95", "region": "north"}
SAVE "sales", {"rep": "dan", "total": 40, "region": "north"}
best = FIND "sales" ORDER BY total DESC FIRST 2
TALK best[0].rep + " " + best[1].rep
latest = FIND "sales" WHERE region = "north" LAST 2
TALK UBOUND(latest) + ": " + latest[0].rep + " " + latest[1].rep
all = FIND "sales"
big = FILTER all WHERE total >= 90 AND region <> "south"
TALK TOJSON(big)
names = FILTER all WHERE rep LIKE "%a%"
TALK UBOUND(names) + " with an a"
none = FIND "sales" LAST 0
TALK UBOUND(none)
