' Checks: HEAR v AS INTEGER: an invalid answer gets the type's message and is asked again; the value is a number
HEAR qty AS INTEGER
TALK qty + 1
