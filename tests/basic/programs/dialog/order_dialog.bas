' Checks: a realistic dialog: greeting, menu and typed questions WITH prompts, IIF pricing, summary in BEGIN TALK
TALK "Welcome to Pizza Bot!"
HEAR size AS "Small", "Medium", "Large" WITH "Which size?"
HEAR qty AS INTEGER WITH "How many?"
price = IIF(size = "Large", 50, IIF(size = "Medium", 40, 30))
total = FORMAT(price * qty, "#,##0.00")
BEGIN TALK
  Order: ${qty} x ${size}
  Total: R$ ${total}
END TALK
