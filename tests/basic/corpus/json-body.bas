payload = {
  "customer": {
    "name": name,
    "email": email
  },
  "items": [
    {"sku": "A-1", "qty": 2},
    {"sku": "B-7", "qty": 1}
  ],
  "notes": "Delivery \"before noon\", please"
}
options = #{retries: 3, timeout: 30, list: [1, 2, 3]}
res = POST "https://shop.example/orders", payload
IF res.ok THEN
  TALK "Order created: " + res.id
ELSE
  TALK "Failed: " + res?.error?.message ?? "unknown error"
END IF
