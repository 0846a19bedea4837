' Checks: CONTAINS: text (case-insensitive substring), list (membership), object (key)
msg = "I want a Refund please"
TALK msg CONTAINS "refund"
TALK msg CONTAINS "cancel"
items = ["apple", "pear", 3]
TALK items CONTAINS "pear"
TALK items CONTAINS "3"
TALK items CONTAINS "kiwi"
obj = {"name": "Ana"}
TALK obj CONTAINS "name"
TALK obj CONTAINS "age"
IF msg CONTAINS "REFUND" AND NOT (msg CONTAINS "cancel") THEN
  TALK "refund flow"
END IF
