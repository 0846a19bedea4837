' Checks: * / MOD % bind tighter than + -, left to right on one level, / is true division
TALK 1 + 2 * 3
TALK (1 + 2) * 3
TALK 10 - 4 - 3
TALK 7 / 2
TALK 6 / 3
TALK 2 + 12 / 4 * 3
TALK 17 MOD 5
TALK 17 % 5
TALK 1 + 17 MOD 5
TALK 2 * 3 MOD 4
TALK -7 MOD 3
TALK 7.5 MOD 2
