SET_SCHEDULE "0 8 * * 1-5"

orders = FIND "orders" WHERE status = "paid"
total = 0
count = 0
FOR EACH o IN orders
    total = total + o.total
    count = count + 1
NEXT

body = "Orders paid: " + count + "\nTotal: " + FORMAT(total, "R$ #,##0.00")
SEND MAIL "boss@acme.example", "Daily report " + FORMAT(TODAY(), "DD/MM/YYYY"), body
LOG "daily report sent: " + count
