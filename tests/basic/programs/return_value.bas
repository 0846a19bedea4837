DESCRIPTION "Adds two numbers"
PARAM a AS NUMBER DEFAULT 2
PARAM b AS NUMBER
TALK "a=" & a & " b=" & b
RETURN a + b
TALK "unreachable"
