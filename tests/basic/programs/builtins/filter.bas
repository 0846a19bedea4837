' Checks: FILTER(list, field, value) and FILTER(list, "condition") with >=, =, AND, and a bare word
people = [
  {"name": "Ana", "age": 30, "city": "Porto"},
  {"name": "Bia", "age": 17, "city": "Lisboa"},
  {"name": "Caio", "age": 45, "city": "Porto"}
]
TALK COUNT(FILTER(people, "city", "Porto"))
FOR EACH p IN FILTER(people, "age >= 18 AND city = Porto")
  TALK p.name
NEXT
TALK COUNT(FILTER(people, "lisboa"))
young = FILTER(people, "age < 18")
TALK young[0].name
