' Checks: arity messages for builtins with a range of arguments
x = MID("abcdef", 2, 3, 4)
