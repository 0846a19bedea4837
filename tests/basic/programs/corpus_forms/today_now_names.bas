' today and now read as TODAY() and NOW() until the script assigns them
yesterday = DATEADD today, "days", -1
TALK FORMAT yesterday, "yyyy-MM-dd"
IF today > yesterday THEN TALK "today is after yesterday"
TALK YEAR(now) > 2000
SUB show()
  TALK "in a SUB: " + FORMAT(today, "yyyy")
END SUB
show()
today = "Tuesday"
TALK today
now = NULL
TALK ISNULL(now)
