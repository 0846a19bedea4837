item = "book"
STEP 1: BOT "pricing" "quote the book"
TALK "price " & price & " for " & item
