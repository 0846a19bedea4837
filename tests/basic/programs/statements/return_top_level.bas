' Checks: RETURN e at top level ends the script; its value is the script's result (=> line)
total = 0
FOR EACH n IN [1, 2, 3]
  total = total + n
NEXT
TALK "computed"
RETURN {"total": total, "ok": TRUE}
TALK "never"
