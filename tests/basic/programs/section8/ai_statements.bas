mood = ANALYZE SENTIMENT "I love this product"
TALK mood
code = GENERATE CODE "add two numbers"
TALK code
img = GET IMAGE "a cat"
TALK img
SAVE FROM UNSTRUCTURED "contacts", "Ana, ana@example.com"
' the attendant form names the session first; the text is the last value
sid = "session-1"
mood2 = ANALYZE SENTIMENT sid, "I love this product"
TALK mood2
