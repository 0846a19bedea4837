' Checks: + adds numbers and joins text when either side is text; & always joins; same level, left to right
TALK 1 + 2
TALK "1" + 2
TALK 1 + "2"
TALK "a" + "b"
TALK 1 & 2
TALK "Total: " + 3 + 4
TALK 3 + 4 + " items"
TALK 1 + 2 & 3
TALK 1 & 2 + 3
TALK "x" & NULL & "y"
TALK 1.5 + 1.5
TALK TRUE + 1
