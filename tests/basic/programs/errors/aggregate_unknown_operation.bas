' Checks: AGGREGATE names the operation it does not know, with the line.
rows = [#{amount: 1}]
TALK "before"
t = AGGREGATE "median", rows, "amount"
