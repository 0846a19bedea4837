SAVE "orders", {"id": 1, "customer": "Ana", "total": 120}
SAVE "orders", {"id": 2, "customer": "Bob", "total": 80}
SAVE "orders", {"id": 3, "customer": "Ana", "total": 45.5}
rows = QUERY "SELECT id, total FROM orders WHERE customer = 'Ana' ORDER BY total LIMIT 5"
TALK TOJSON(rows)
big = QUERY "select * from orders where total >= 80 and customer like 'B%';"
TALK big[0].id
