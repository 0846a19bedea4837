a = 10
b = 0
TALK a / b
