' BOT "order-notify" "send the invoice": numbers the invoice (a counter in bot memory),
' writes the customer's message with the LLM (routed by notify_model_goal; offline: a plain
' template) and sends it on notify_channel ("email" mails it; anything else is only logged).
FUNCTION written(plain)
  text = LLM "Write a two-sentence friendly invoice note for: " + plain
    WITH OPTIMIZE FOR notify_model_goal
  IF text CONTAINS "[offline model]" THEN
    text = plain
  END IF
  RETURN text
END FUNCTION

invoice_seq = NVL(GET BOT MEMORY("invoice_seq"), 0) + 1
SET BOT MEMORY "invoice_seq", invoice_seq
invoice_id = "INV-" + invoice_seq
invoice_text = "Your order " + order_id + " (" + quantity + " x " + sku + ") costs " + total + ". Invoice " + invoice_id + "."
invoice_text = written(invoice_text)
IF notify_channel = "email" THEN
  SEND MAIL email, "Invoice " + invoice_id, invoice_text
ELSE
  LOG "invoice " + invoice_id + " for " + email + " on " + notify_channel + ": " + invoice_text
END IF
invoice_sent = notify_channel
TALK "Invoice " + invoice_id + " sent to " + email + " by " + notify_channel + "."
