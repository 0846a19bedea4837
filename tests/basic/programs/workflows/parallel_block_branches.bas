' Checks: BRANCH X ... END BRANCH blocks see variables set before PARALLEL; BOT calls inside branches; results merge after
order = "A-17"
STEP 1: PARALLEL
  BRANCH pay
    BOT "payments" "charge ${order}"
    paid = TRUE
  END BRANCH
  BRANCH ship
    label = "ship " + order
    TALK label
  END BRANCH
END PARALLEL
TALK "paid=" + paid + " label=" + label
