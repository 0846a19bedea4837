' Checks: parameters and new variables of a SUB are local; an existing global is updated; a parameter shadows a global
counter = 0
greeting = "hi"
SUB Bump(amount)
  counter = counter + amount
  temp = "local only"
  TALK greeting + " " + counter
END SUB
FUNCTION Shadow(greeting)
  RETURN "param " + greeting
END FUNCTION
Bump(2)
Bump(3)
TALK counter
TALK temp IS NULL
TALK Shadow("x")
TALK greeting
