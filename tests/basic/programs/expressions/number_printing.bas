' Checks: numbers print like JavaScript: whole results without .0, shortest decimals, exponent from 1e21
TALK 6 / 2
TALK 7 / 2
TALK 1 / 3
TALK 0.1 + 0.2
TALK 2.50
TALK -0.5
TALK 10 ^ 20
TALK 10 ^ 21
TALK 1.5 * 2
TALK 100 / 7 * 7
TALK 1.10 + 0
