SAVE "people", {"name": "Ana", "age": 31, "city": "Recife"}
SAVE "people", {"name": "Bob", "age": 25, "city": "Natal"}
SAVE "people", {"name": "Cid", "age": 40, "city": "Recife"}
recife = FIND "people" WITH "city=Recife"
TALK UBOUND(recife)
oldest = FIND "people" ORDER BY age DESC
TALK oldest[0].name + " " + oldest[2].name
byname = FIND "people", "city=Recife" ORDER BY name
TALK byname[0].name
top2 = FIRST(oldest, 2)
TALK UBOUND(top2) + " " + top2[1].name
tail = LAST(oldest, 1)
TALK tail[0].name
young = FILTER oldest WHERE city = "Natal"
TALK young[0].name
