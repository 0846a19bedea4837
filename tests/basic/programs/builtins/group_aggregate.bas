' Checks: GROUP BY groups objects by a field (keys in order of first appearance);
' AGGREGATE applies SUM/AVG/COUNT/MIN/MAX to a field, with the list first or second.
rows = [#{city: "Rio", amount: 10}, #{city: "SP", amount: 5}, #{city: "Rio", amount: 7}, #{city: "SP"}]
g = GROUP BY rows, "city"
TALK KEYS(g)
TALK COUNT(g.Rio) + COUNT(g.SP)
TALK AGGREGATE "SUM", rows, "amount"
TALK AGGREGATE("avg", rows, "amount")
TALK AGGREGATE(rows, "MIN", "amount")
TALK AGGREGATE "count", rows, "amount"
TALK AGGREGATE "count", rows
