' Reports over the bot's tables with the forms of BASIC.md section 8
SET SCHEDULE every 1 hour
SET THEME "dark"
SET MAX LINES 500
SET HEADER "X-Report" = "hourly"
SET role, "reporter"

recent = FIND "orders" WITH "status=paid" ORDER BY total DESC
top = FIRST(recent, 5)
natal = FILTER recent WHERE city = "Natal"
big = QUERY "SELECT id, total FROM orders WHERE total >= 100 ORDER BY total DESC LIMIT 10"
FOR EACH o IN top
    TALK FORMAT o.total, "#,##0.00"
NEXT
summary = TOYAML(#{top: UBOUND(top), natal: UBOUND(natal), big: UBOUND(big)})
SEND TEMPLATE "hourly-report" TO "+5511999999999" WITH #{summary: summary}
img = GET IMAGE "a bar chart of sales"
files = DIR "reports"
LIST TOOLS
DEBUG summary
WAIT DAYS(1)
ALLOW ROLE "manager", "admin"

ON FORM SUBMIT "feedback"
    SAVE FROM UNSTRUCTURED "feedback", event_data.text
    TALK "Thanks!"
END ON
