' Checks: a OR b returns the first truthy operand (name OR "Unknown"), else the last one
name = ""
TALK name OR "Unknown"
name = "Ana"
TALK name OR "Unknown"
TALK NULL OR 0 OR "last"
TALK 0 OR 5
TALK TRUE OR "x"
TALK FALSE OR FALSE
city = missing OR "Lisbon"
TALK city
TALK "0" OR "false" OR "zero"
