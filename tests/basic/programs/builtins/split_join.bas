' Checks: SPLIT by a separator, on blanks, into characters; JOIN with a separator and the default ","
parts = SPLIT("a,b,,c", ",")
TALK UBOUND(parts)
TALK parts[2] = ""
TALK JOIN(parts, "|")
words = SPLIT("  one two   three ")
TALK words
TALK SPLIT("abc", "")
TALK JOIN(["x", 1, TRUE])
TALK JOIN(SPLIT("2026-03-05", "-"), "/")
TALK UBOUND(SPLIT(NULL, ","))
