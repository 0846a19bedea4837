price = 1234.5
TALK FORMAT price, "#,##0.00"
s = FORMAT price AS "#,##0"
TALK s
SET HEADER "X-Token" = "abc"
SET HEADER "X-Lang", "pt"
r = GET "https://api.example.com/x"
TALK r.ok
