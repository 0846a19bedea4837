TALK "10" = 10
TALK "abc" < "abd"
TALK "Hello" CONTAINS "ell"
TALK "report.pdf" LIKE "%.pdf"
TALK 3 <> 4
TALK 2 >= 2 AND 1 <= 0
TALK NOT (1 = 1)
