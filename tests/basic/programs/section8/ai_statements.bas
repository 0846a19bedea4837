mood = ANALYZE SENTIMENT "I love this product"
TALK mood
code = GENERATE CODE "add two numbers"
TALK code
img = GET IMAGE "a cat"
TALK img
SAVE FROM UNSTRUCTURED "contacts", "Ana, ana@example.com"
