' helpers real scripts call: IF(), LENGTH, LOWERCASE, DAYS_BETWEEN, FORMAT_DATE (PHP masks),
' CSV, CREATE OBJECT, PUSH, CREATE INDEX (logged, ignored), SET SCHEDULE with a script and a name,
' SEND TEMPLATE in its other orders
TALK IF(2 > 1, "yes", "no") + " " + LENGTH("abc") + " " + LOWERCASE("ABC")
TALK DAYS_BETWEEN("2024-01-01", "2024-01-11")
TALK FORMAT_DATE(NOW(), "Ymd_His") + " " + FORMAT_DATE(NOW())
deal = CREATE OBJECT
deal.name = "Acme, Inc"
deal.value = 10
deals = []
PUSH deals, deal
TALK CSV(deals)
CREATE INDEX idx_deals_name ON deals(name)
SET SCHEDULE "0 6 * * *" "erp-jobs.bas" "inventory_reorder"
SEND TEMPLATE TO "+5511999999999", "welcome", #{name: "Ana"}
SEND TEMPLATE "hot-lead", "email", "ana@example.com", #{score: 90}
' a built-in written like a keyword, without parentheses; DATEADD(date, unit, n) too
days = 2
before = DATEADD TODAY(), "days", -days
TALK before
