' Checks: trap: embedded SQL-like forms: INSERT INTO "t" VALUES {...}, FIND "t" WHERE a = b, UPDATE "t" SET a = b WHERE c = d
INSERT INTO "orders" VALUES {"id": 1, "status": "new", "city": "Porto"}
INSERT INTO "orders" VALUES {"id": 2, "status": "new", "city": "Lisboa"}
cidade = "Porto"
rows = FIND "orders" WHERE city = cidade
TALK UBOUND(rows) + " order(s) in " + cidade
UPDATE "orders" SET status = "paid" WHERE id = 1
paid = FIND "orders", "status=paid"
TALK paid[0].id
