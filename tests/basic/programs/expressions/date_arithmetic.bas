' Checks: date + n adds days, date - date is days, a date joins text as ISO; date *text* stays text
d = DATEADD("2026-01-30", 0, "day")
TALK d
TALK d + 3
TALK DATEADD("2026-03-01", 0, "day") - d
TALK "Due: " + d
TALK "2026-01-30" + 1
