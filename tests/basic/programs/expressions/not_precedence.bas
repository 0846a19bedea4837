' Checks: NOT is unary (BASIC.md §2: unary is above compare and AND), so NOT a = 2 is (NOT a) = 2
a = 1
TALK NOT a = 2
TALK NOT (a = 2)
TALK NOT a = FALSE
TALK NOT FALSE AND FALSE
TALK NOT (FALSE AND FALSE)
