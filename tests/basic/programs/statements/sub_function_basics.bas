' Checks: SUB and FUNCTION with parameters; FUNCTION values in expressions; CALL name(args) and name(args)
SUB Greet(who, greeting)
  TALK greeting + ", " + who + "!"
END SUB
FUNCTION Square(n)
  RETURN n * n
END FUNCTION
CALL Greet("Ana", "Hello")
Greet("Bia", "Hi")
TALK Square(7)
TALK Square(Square(2)) + 1
x = Square(3) * 2
TALK x
