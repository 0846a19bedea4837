' Checks: TALK of values: numbers like JavaScript, booleans true/false, NULL an empty message, lists/objects JSON, dates ISO
TALK 42
TALK 2.50
TALK TRUE
TALK NULL
TALK [1, "a"]
TALK {"k": NULL}
TALK DATEADD("2026-03-05", 1, "day")
TALK "end"
