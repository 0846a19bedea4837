' Checks: ^ binds tighter than * and +; unary minus binds tighter than ^ (BASIC.md §2 table)
TALK 2 ^ 10
TALK 2 * 3 ^ 2
TALK 1 + 2 ^ 3
TALK -2 ^ 2
TALK 0 - 2 ^ 2
TALK 4 ^ 0.5
TALK 2 ^ -1
TALK (1 + 1) ^ (1 + 2)
