' Checks: MID is 1-based (with and without length); LEFT/RIGHT; out-of-range positions clamp to ""
s = "General Bots"
TALK MID(s, 1, 7)
TALK MID(s, 9)
TALK MID(s, 9, 2)
TALK LEFT(s, 3)
TALK RIGHT(s, 4)
TALK LEFT(s, 100)
TALK "[" + MID(s, 50, 2) + "]"
TALK "[" + RIGHT(s, 0) + "]"
TALK MID("12345", 2, 3)
