' Checks: IIF(c, a, b) with BASIC truth; nested IIF; result used in arithmetic
x = 7
TALK IIF(x > 5, "big", "small")
TALK IIF(x MOD 2 = 0, "even", "odd")
TALK IIF("", "yes", "no")
TALK IIF("false", 1, 2)
TALK IIF(x > 10, "huge", IIF(x > 5, "big", "small"))
TALK IIF(NULL, "a", "b")
TALK 10 + IIF(TRUE, 1, 2)
