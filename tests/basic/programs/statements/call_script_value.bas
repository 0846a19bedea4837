' Checks: CALL is also a keyword expression (BASIC.md §2): r = CALL name(args) runs name.bas and gives its result
r = CALL helper("y")
TALK "helper gave " + r
