' Checks: single-line IF c THEN stmt [ELSE stmt]; it opens no block (no END IF follows)
x = 3
IF x = 3 THEN TALK "three"
IF x = 4 THEN TALK "four"
IF x > 1 THEN TALK "big" ELSE TALK "small"
IF x > 5 THEN TALK "big" ELSE TALK "small"
IF x = 3 THEN y = 10
TALK y
TALK "end"
