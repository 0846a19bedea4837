PARAM orderId AS INTEGER LIKE 1042 DESCRIPTION "The order number the customer mentioned"
PARAM email AS STRING LIKE "ana@example.com" DESCRIPTION "E-mail used at checkout" OPTIONAL
DESCRIPTION "Returns the status of an order so the assistant can answer the customer."

rows = FIND "orders" WHERE id = orderId
IF COUNT(rows) = 0 THEN
    RETURN "No order " + orderId
END IF
o = rows[0]
IF email <> "" AND o.email <> email THEN
    RETURN "The e-mail does not match order ${orderId}."
END IF
RETURN #{id: o.id, status: o.status, total: FORMAT(o.total, "#,##0.00")}
