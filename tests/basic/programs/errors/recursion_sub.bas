' Checks: endless recursion of a SUB stops at the call depth limit (here 50)
SUB Again(n)
  Again(n + 1)
END SUB
Again(1)
