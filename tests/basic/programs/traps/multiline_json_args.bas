' Checks: trap: JSON arguments of keyword statements spanning lines (POST url, {...}; SET BOT MEMORY k, {...})
SET HEADER "Authorization", "Bearer abc"
result = POST "https://api.example.com/orders", {
  "customer": "Ana",
  "items": [
    {"sku": "A1", "qty": 2},
    {"sku": "B2", "qty": 1}
  ],
  "notes": "entregar à tarde"
}
TALK "pedido " + result.id
SET BOT MEMORY "config", {
  "horario": "8h-18h",
  "ativo": true
}
