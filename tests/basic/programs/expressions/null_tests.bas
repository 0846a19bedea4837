' Checks: NULL = NULL is true; IS NULL / IS NOT NULL; variables never set read as NULL
x = NULL
TALK x = NULL
TALK x IS NULL
TALK x IS NOT NULL
TALK neverSet IS NULL
y = 0
TALK y IS NULL
TALK y = NULL
z = ""
TALK z IS NULL
TALK z IS NOT NULL
TALK NULL = NULL
IF neverSet IS NULL AND y IS NOT NULL THEN TALK "both"
