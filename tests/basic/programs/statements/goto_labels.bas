' Checks: GOTO jumps backward and forward to label: lines
n = 0
again:
n = n + 1
IF n < 3 THEN GOTO again
TALK "n=" + n
GOTO skip
TALK "skipped"
skip:
TALK "end"
