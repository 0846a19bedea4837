' Checks: postfix chains: member of index of member, index by variable/expression, methods on members
data = {"orders": [{"id": 1, "items": ["a", "b"]}, {"id": 2, "items": ["c"]}]}
TALK data.orders[1].id
TALK data.orders[0].items[1]
i = 1
TALK data.orders[i].items[0]
TALK data.orders[i - 1].items.length
TALK data["orders"][0]["id"]
TALK data.orders[0].items.join("+")
data.orders[1].items[0] = "z"
TALK data.orders[1]
