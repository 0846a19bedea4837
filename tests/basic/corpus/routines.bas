FUNCTION Square(n AS NUMBER) AS NUMBER
    RETURN n * n
END FUNCTION

SUB Greet(who)
    IF who = "" THEN EXIT SUB
    TALK "Hello, " + who + "!"
END SUB

SUB Farewell
    TALK "Bye!"
END SUB

CALL Greet("Ana")
Greet "Bia"
greet("Cid")
TALK Square(4)
x = CALL Square(5)
Farewell
CALL notify-admin
