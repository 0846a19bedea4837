' Checks: event names with letters, digits and _ . : -; PUBLISH EVENT with and without data; ON EVENT with an unquoted name only registers
ON EVENT refund_failed DO
  TALK "never runs here"
END ON
PUBLISH EVENT "order.created:v2"
payload = {"id": 7, "items": ["a"]}
PUBLISH EVENT "order-paid_1" WITH payload
PUBLISH EVENT "n" WITH 42
TALK "ok"
