SAVE "customers", {"name": "Ana", "city": "Recife"}
name = "Bob"
city = "Natal"
SAVE "customers", name, city
rows = FIND "customers"
TALK UBOUND(rows)
found = FIND "customers", "city=Natal"
TALK found[0].name
UPDATE "customers", "name=Ana", {"city": "Olinda"}
again = FIND "customers" WHERE name = "Ana"
TALK again[0].city
DELETE "customers", "name=Bob"
left = FIND "customers"
TALK UBOUND(left)
