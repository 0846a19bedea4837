' The tables of customer-support (FIND "tickets", "status=escalated" lists the open escalations).
TABLE tickets
  id AS string(20) KEY
  customer AS string(255)
  question AS string(2000)
  category AS string(20)
  urgency AS string(10)
  status AS string(20)
  resolved_by AS string(100)
  rating AS integer
END TABLE
