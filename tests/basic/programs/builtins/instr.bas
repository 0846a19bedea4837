' Checks: INSTR is 1-based, 0 when absent, case-sensitive, with an optional start position first
TALK INSTR("hello world", "o")
TALK INSTR("hello world", "z")
TALK INSTR("hello world", "hello")
TALK INSTR(6, "hello world", "o")
TALK INSTR("Hello", "h")
IF INSTR("user@corp.example", "@") > 0 THEN TALK "looks like an email"
