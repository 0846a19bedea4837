' Track an order by its number
TALK "Please type your order number:"
HEAR orderId AS INTEGER WITH "Order number?"

order = FIND "orders", "id=" + orderId
IF UBOUND(order) = 0 THEN
    TALK "I could not find order ${orderId}."
    RETURN
END IF

order = FIRST(order)
status = order.status
If status = "shipped" Then
    TALK "Your order was shipped on " + FORMAT(order.shippedAt, "DD/MM/YYYY") + "."
ElseIf status = "paid" Then
    TALK "Payment received; we are packing your order."
Else
    TALK "Status: " & status
End If
