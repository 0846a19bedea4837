' Checks: CALL name with no arguments, CALL name(args), name(args); SUBs defined after their calls; SUB without ()
CALL Hello
CALL Show("a", 1)
Show("b", 2)
SUB Hello
  TALK "hello"
END SUB
SUB Show(label, n)
  TALK label + n
END SUB
