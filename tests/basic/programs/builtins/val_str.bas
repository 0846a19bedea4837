' Checks: VAL reads the leading number (0 when none; "12,5" is 12.5); STR gives the printed text
TALK VAL("42")
TALK VAL("42abc")
TALK VAL("abc")
TALK VAL("12,5")
TALK VAL("1.234,56")
TALK VAL(" -3.5 ")
TALK VAL("") + 1
TALK STR(42) + "!"
TALK STR(0.5)
TALK STR(TRUE)
TALK LEN(STR(1000))
