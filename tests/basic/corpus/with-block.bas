customer = NEW OBJECT
WITH customer
    name = "Ana"
    .email = "ana@example.com"
    .tags = ["vip"]
    created = NOW()
END WITH
items = NEW ARRAY
items.push("apple")
APPEND items, "pear"
SAVE "customers", customer
INSERT "customers", #{name: "Bia", email: "bia@example.com"}
TALK "We have ${items.length} items; first is ${items[0]}."
