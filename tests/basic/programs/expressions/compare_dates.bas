' Checks: dates compare chronologically, also against date text; MAX of dates
d1 = DATEADD("2026-03-05", 0, "day")
d2 = DATEADD(d1, 1, "day")
TALK d2 > d1
TALK d1 < "2026-03-06"
TALK d1 = "2026-03-05"
TALK MAX(d1, d2)
