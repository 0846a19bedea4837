' Checks: NOW() and TODAY() are dates that print as ISO text and have parts (only clock-independent properties)
n = NOW()
t = TODAY()
TALK YEAR(n) > 2000
TALK LEN("" + t) = 10
TALK LEN("" + n) = 19
TALK n.year = YEAR(t)
TALK MONTH(n) >= 1 AND MONTH(n) <= 12
TALK DATEDIFF(t, n) = 0
TALK FORMAT(n, "YYYY") = "" + YEAR(n)
TALK DATEADD(t, 1, "day") > t
TALK t.day = DAY(n)
