' Checks: a date builtin given text that is not a date fails naming the builtin and the text
TALK DATEADD("2026-01-31", 1, "month")
TALK DATEADD("not a date", 1, "day")
