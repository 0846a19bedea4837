' Checks: values that are truthy: TRUE, non-zero numbers, other text (even "no" and " "), non-empty list/object
values = [TRUE, 1, -1, 0.5, "a", " ", "no", "00", [0], {"a": 0}]
FOR EACH v IN values
  IF v THEN
    TALK TOJSON(v) + " is truthy"
  ELSE
    TALK TOJSON(v) + " is falsy"
  END IF
NEXT
