FUNCTION AskNumber(q)
  TALK q
  HEAR v AS NUMBER
  RETURN v
END FUNCTION
total = AskNumber("First?") + AskNumber("Second?") * 2
TALK "total " & total
