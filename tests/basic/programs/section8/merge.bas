' MERGE "t", rows[, key] (also MERGE "t" WITH rows BY key): rows whose key matches are updated
SAVE "contacts", {"id": 1, "name": "Ana", "city": "Recife"}
r = MERGE "contacts", [#{id: 1, name: "Ana Lima"}, #{id: 2, name: "Bob"}]
TALK r.inserted + " added, " + r.updated + " updated"
MERGE "contacts" WITH [#{email: "bob@x.org", id: 2}] BY "id"
rows = FIND "contacts" ORDER BY id
FOR EACH c IN rows
  TALK c.id + " " + c.name + " " + NVL(c.city, "-") + " " + NVL(c.email, "-")
NEXT
