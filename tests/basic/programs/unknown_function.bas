TALK "before"
x = FOO(1)
