' Checks: backslash escapes \n \t \" \\ in string literals
TALK "say \"hi\""
TALK "back\\slash"
TALK LEN("a\tb")
TALK INSTR("x\ny", "\n")
TALK LEN("\\")
TALK "two\nlines"
