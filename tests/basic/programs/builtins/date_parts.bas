' Checks: DAY MONTH YEAR HOUR WEEKDAY (1 = Sunday) on date text; .year .month .day .hour of a date value
d = "2026-03-05 14:07:00"
TALK DAY(d)
TALK MONTH(d)
TALK YEAR(d)
TALK HOUR(d)
TALK WEEKDAY(d)
TALK WEEKDAY("2026-03-08")
TALK DAY("25/12/2026")
dt = DATEADD(d, 0, "day")
TALK dt.year + "-" + dt.month + "-" + dt.day + " " + dt.hour
TALK HOUR("2026-03-05")
