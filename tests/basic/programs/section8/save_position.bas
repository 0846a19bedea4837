' SAVE "t", v1, v2 by position into the columns TABLE declares; a variable named like a
' column goes to it; an undeclared table keeps variable names (field2 for the others)
TABLE leads
  name AS STRING(80)
  email AS STRING(120)
  score AS INTEGER
END TABLE
score = 90
who = "Ana"
SAVE "leads", score, who, "ana@x.org"
SAVE "leads", "Bob"
SAVE "visits", who, 3
SAVE "leads", 1, 2, 3, 4
