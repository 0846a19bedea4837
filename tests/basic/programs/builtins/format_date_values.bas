' Checks: FORMAT on date values and Brazilian date text; month names and abbreviations; 12-hour clock
d = DATEADD("2026-12-25 09:05:00", 0, "day")
TALK FORMAT(d, "DD/MM/YYYY")
TALK FORMAT d AS "YYYY-MM-DD HH:mm"
TALK FORMAT("25/12/2026", "YYYY-MM-DD")
TALK FORMAT("2026-01-09", "MMMM YYYY")
TALK FORMAT("2026-01-09", "DD MMM YYYY")
TALK FORMAT(d, "hh:mm AM/PM")
TALK "[" + FORMAT(NULL, "YYYY") + "]"
TALK FORMAT(42)
