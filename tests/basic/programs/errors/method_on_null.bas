' Checks: calling a method on NULL is an error (members of NULL are NULL, methods are not)
x = NULL
TALK x.name IS NULL
y = x.trim()
