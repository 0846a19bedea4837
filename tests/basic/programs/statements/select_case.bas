' Checks: SELECT CASE with several values per CASE, CASE ELSE, numbers and text; the first equal case wins
FOR EACH v IN [1, 2, 3, 7, "x"]
  SELECT CASE v
    CASE 1
      TALK v + ": one"
    CASE 2, 3
      TALK v + ": two or three"
    CASE 3
      TALK v + ": never, 3 matched above"
    CASE "x"
      TALK "letter x"
    CASE ELSE
      TALK v + ": other"
  END SELECT
NEXT
