' MAP list, "old->new, ..." renames the fields of each object; the other fields stay
orders = [{"customerName": "Ana", "totalAmount": 10, "id": 1}, {"customerName": "Rui", "totalAmount": 5, "id": 2}]
mapped = MAP orders, "customerName->customer, totalamount => amount"
TALK TOJSON(mapped)
one = MAP(orders[0], "id: order")
TALK one.order + " " + one.customerName
TALK TOJSON(orders[1])
bad = MAP orders, "customerName"
