' Checks: JSON object literals span lines and nest; read by .member and ["key"]; print compact; members can be set
customer = {
  "name": "Ana",
  "age": 30,
  "tags": ["vip", "new"],
  "address": {
    "city": "Porto",
    "zip": "4000"
  }
}
TALK customer.name
TALK customer["age"] + 1
TALK customer.address.city
TALK customer.tags[1]
TALK customer.address
customer.age = 31
customer.email = "ana@corp.example"
TALK customer
