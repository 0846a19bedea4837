' Checks: a builtin called with the wrong number of arguments fails naming it and its arity
TALK LEFT("abc", 1)
TALK LEFT("abc")
