a = "Hello"
b = "World"
TALK a & " " & b
TALK a + ", " + b + "!"
TALK LEN(a)
TALK UCASE(a) & LCASE(b)
TALK MID(a, 2, 3)
TALK INSTR(a, "l")
TALK INSTR(a, "z")
TALK a.length
TALK "  pad  ".trim()
TALK REPLACE(a, "l", "L")
