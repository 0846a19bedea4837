' Checks: FORMAT date masks of BASIC.md on fixed date text: YYYY-MM-DD, yyyy-MM-dd, DD/MM/YYYY HH:mm, YYYYMMDD, MMMM YYYY
d = "2026-03-05 14:07:00"
TALK FORMAT(d, "YYYY-MM-DD")
TALK FORMAT(d, "yyyy-MM-dd")
TALK FORMAT(d, "DD/MM/YYYY HH:mm")
TALK FORMAT(d, "YYYYMMDD")
TALK FORMAT(d, "MMMM YYYY")
TALK FORMAT(d, "dd/MM/yyyy")
TALK FORMAT(d, "HH:mm")
TALK FORMAT DATEADD(d, 1, "month") AS "DD/MM/YYYY"
