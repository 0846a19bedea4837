' Checks: identifiers are case-insensitive: one variable in several spellings; functions and members too
userName = "Ana"
TALK username
TALK USERNAME
UserName = "Bia"
TALK userName
TALK ucase(username)
TALK Len(USERNAME)
data = {"City": "Porto"}
TALK data.city
TALK DATA.CITY
data.CITY = "Lisbon"
TALK data
