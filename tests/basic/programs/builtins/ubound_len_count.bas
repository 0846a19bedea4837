' Checks: UBOUND is the item count (0 when empty, also for NULL); LEN of text/list/object/number; COUNT
items = ["a", "b", "c"]
TALK UBOUND(items)
TALK UBOUND([])
TALK UBOUND(NULL)
TALK LEN("hello")
TALK LEN(items)
TALK LEN({"a": 1, "b": 2})
TALK LEN(NULL)
TALK LEN(12345)
TALK COUNT(items)
TALK COUNT(NULL)
TALK COUNT("abc")
IF UBOUND(items) = 0 THEN
  TALK "empty"
ELSE
  TALK "last is " + items[UBOUND(items) - 1]
END IF
