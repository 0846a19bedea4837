' Checks: unary minus, NOT and ! on numbers, booleans and text, applied after postfix access
x = 5
o = {"n": 4, "flag": FALSE}
TALK -x
TALK -(-x)
TALK -o.n * 2
TALK NOT TRUE
TALK NOT 0
TALK !FALSE
TALK NOT o.flag
TALK !o.flag AND TRUE
TALK NOT "false"
TALK !"yes"
TALK -"3" + 1
