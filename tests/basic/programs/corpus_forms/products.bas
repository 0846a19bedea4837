' SEARCH PRODUCTS / PRODUCT over the bot's "products" table
SAVE "products", #{id: 1, name: "Red Shoe", sku: "RS-1", brand: "Acme", category: "shoes"}
SAVE "products", #{id: 2, name: "Blue shirt", sku: "BS-2", brand: "Shoe Co", category: "shirts"}
SAVE "products", #{id: 3, name: "Shoelace", sku: "SL-3", brand: "Acme", category: "accessories"}
found = SEARCH PRODUCTS "shoe", 2
TALK COUNT(found) + ": " + found[0].name + ", " + found[1].name
TALK COUNT(SEARCH PRODUCTS "ACME")
TALK COUNT(SEARCH PRODUCTS "bs-2") + " by sku"
none = SEARCH PRODUCTS "hat", 5
IF LEN(none) = 0 THEN TALK "no hats"
product = PRODUCT 2
TALK product.name
missing = PRODUCT 9
IF NOT missing THEN TALK "no product 9"
rows = FIND ALL "products" WHERE brand = "Acme"
TALK COUNT(rows) + " by Acme"
RETURN PRODUCT 3
