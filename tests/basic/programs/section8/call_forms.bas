' CALL name and CALL name(args) run a SUB of the script or a sibling script; x = CALL f(args)
' takes a FUNCTION's or a script's value
SUB greet(who)
  TALK "hi " + who
END SUB
FUNCTION twice(n)
  RETURN n * 2
END FUNCTION
CALL greet("Ana")
CALL greet "Bob"
x = CALL twice(21)
TALK x
total = CALL pricing(3, "gold")
TALK "price " + total
CALL audit
