' Checks: a ?? b gives b when a is NULL or "", keeps 0 and FALSE; chains left to right
TALK NULL ?? "a"
TALK "" ?? "b"
TALK 0 ?? "c"
TALK FALSE ?? "d"
x = "set"
TALK x ?? "e"
TALK missing ?? other ?? "f"
TALK (missing ?? 1) + 1
