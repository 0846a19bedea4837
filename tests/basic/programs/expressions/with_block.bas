' Checks: WITH v ... END WITH builds an object from key = expr and .key = expr lines; adds to an existing object
name = "Ana"
WITH contact
  first = name
  .email = "ana@corp.example"
  .age = 20 + 10
END WITH
TALK contact.first
TALK contact.age
TALK contact
obj = {"id": 1}
WITH obj
  .status = "open"
END WITH
TALK obj
