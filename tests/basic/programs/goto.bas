n = 0
start:
n = n + 1
IF n < 3 THEN GOTO start
TALK "n=" & n
GOTO skip
TALK "skipped"
skip:
TALK "end"
