' Checks: FOR EACH closes with NEXT, NEXT v or END FOR; DO after IN is allowed; an empty list runs no iteration
FOR EACH c IN ["a", "b"]
  TALK "next: " + c
NEXT
FOR EACH c IN ["c", "d"]
  TALK "next v: " + c
NEXT c
FOR EACH c IN ["e", "f"] DO
  TALK "end for: " + c
END FOR
FOR EACH c IN []
  TALK "never"
NEXT
