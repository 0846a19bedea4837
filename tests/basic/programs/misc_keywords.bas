ADD SUGGESTION "Yes"
ADD SUGGESTION "menu" AS "No"
CLEAR SUGGESTIONS
TALK TO "+5511999990000", "Your order shipped"
PRINT "debug " & 1
LOG "note"
WRITE "notes.txt", "hello file"
content = READ "notes.txt"
TALK content
SET SCHEDULE "every 5 minutes"
WEBHOOK "order-created"
SEND FILE "report.pdf", "Monthly report"
