fruits = ["apple", "banana", "cherry"]
FOR EACH f IN fruits
  TALK f
NEXT
FOR EACH f IN fruits DO
  TALK UCASE(f)
END FOR
person = {"name": "Ana", "age": 30}
FOR EACH key IN person
  TALK key & "=" & person[key]
NEXT key
FOR EACH ch IN "abc"
  TALK ch
NEXT
FOR EACH nothing IN NULL
  TALK "never"
NEXT
rows = [{"name": "x"}, {"name": "y"}]
FOR EACH row IN rows
  TALK row.name
NEXT
