rows = FIND "customers" WHERE balance > 100 AND status = "active"
INSERT INTO "audit" VALUES {"event": "check", "at": NOW()}
UPDATE "customers" SET status = "vip", checked = TRUE WHERE balance > 10000
UPDATE "customers", "id=" + id, #{balance: 0}
DELETE "customers", "status=deleted"
total = AGGREGATE "SUM", rows, "balance"
