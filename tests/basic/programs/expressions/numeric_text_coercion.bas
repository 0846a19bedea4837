' Checks: - * / and unary minus turn numeric text into numbers; NULL counts as 0 beside a number
TALK "10" - 4
TALK "3" * "4"
TALK "7" / 2
TALK " 12.5 " * 2
TALK NULL + 5
TALK NULL - 5
TALK "2" ^ 3
TALK "9" MOD "4"
answer = "42"
TALK answer - 0 + 1
