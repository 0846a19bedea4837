' Checks: LCASE/LOWER and UCASE/UPPER, accents included; NULL reads as ""; numbers and booleans as their text
TALK LCASE("HeLLo")
TALK UCASE("HeLLo")
TALK LOWER("ÁRVORE")
TALK UPPER("ação")
TALK "[" + UCASE(NULL) + "]"
TALK UCASE(12.5)
TALK UCASE(TRUE)
TALK LCASE("Yes") = "yes"
