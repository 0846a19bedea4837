' BOT "order-stock": "reserve stock" takes the order's quantity off the shelf when enough is
' there; "release stock" puts a reservation back (the compensation of a cancelled order).
' Stock levels live in bot memory as stock:<sku>; a SKU never seen starts at opening_stock.
FUNCTION on_hand(item)
  RETURN NVL(GET BOT MEMORY("stock:" + item), opening_stock)
END FUNCTION

IF input = "reserve stock" THEN
  stock_available = on_hand(sku)
  IF stock_available >= quantity THEN
    SET BOT MEMORY "stock:" + sku, stock_available - quantity
    stock_status = "reserved"
    TALK "Reserved " + quantity + " of " + sku + " (" + (stock_available - quantity) + " left)."
  ELSE
    stock_status = "short"
    TALK "Only " + stock_available + " of " + sku + " in stock; " + quantity + " ordered."
  END IF
ELSE IF input = "release stock" THEN
  IF stock_status = "reserved" THEN
    SET BOT MEMORY "stock:" + sku, on_hand(sku) + quantity
    stock_status = "released"
    restocked = TRUE
    TALK "Put " + quantity + " of " + sku + " back in stock for order " + order_id + "."
  ELSE
    restocked = FALSE
    TALK "No stock was reserved for order " + order_id + "."
  END IF
ELSE
  THROW "order-stock does not know the action '" + input + "'"
END IF
