' Checks: CASE values may be variables and expressions, evaluated in order
limite = 10
FOR EACH v IN [10, 20, 5]
  SELECT CASE v
    CASE limite
      TALK v + " is the limit"
    CASE limite * 2
      TALK v + " is twice"
    CASE ELSE
      TALK v + " other"
  END SELECT
NEXT
