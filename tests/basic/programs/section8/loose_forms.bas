' forms of real scripts: single-quoted strings, ${{...}} kept, WHILE ... DO, FOR EACH ... LAST n,
' STARTS WITH, FORMAT (e) AS, keyword(args), FIRST list, n, multi-line UPDATE ... SET / WHERE
quote = "Be yourself"
TALK '"' + quote + '"'
TALK "Order for ${{amount}}"
h = [1, 2, 3, 4, 5]
FOR EACH m IN h LAST 2
  TALK "last " + m
NEXT
i = 0
WHILE i < 2 DO
  i = i + 1
END WHILE
TALK "i=" + i
greeting = "Olá, Ana"
IF greeting STARTS WITH "olá" AND greeting ENDS WITH "ana" THEN
  TALK "greeted"
END IF
total = 1500
closed = 250.5
TALK "left: " + FORMAT (total - closed) AS "#,##0.00"
USE_WEBSITE("https://example.com", "30d")
top = FIRST h, 2
TALK TOJSON(top)
SAVE "accounts", {"id": 7, "name": "Old", "status": "new"}
UPDATE "accounts" SET
    name = "New",
    status = "active"
WHERE id = 7
rows = FIND "accounts" WHERE
    status = "active"
TALK rows[0].name
HEAR code AS "done", *
TALK "code " + code
