top:
x = x + 1
GOTO top
