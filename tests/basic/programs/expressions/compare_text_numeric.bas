' Checks: comparison is numeric when both sides are numbers or numeric text, else textual (case-sensitive)
TALK "10" > "9"
TALK "10" > 9
TALK "abc" < "abd"
TALK "apple" < "banana"
TALK "Zebra" < "apple"
TALK "10" = 10
TALK "1.0" = "1"
TALK "a" = "A"
TALK "10a" > "9"
