' DAYS(n) is a duration: beside a date it moves the date by n days, elsewhere it is seconds
due = TODAY() + DAYS(3)
TALK "due " + FORMAT(due, "DD/MM/YYYY")
TALK "was " + (NOW() - DAYS(1))
TALK DATEADD(TODAY(), DAYS(30))
grace = DAYS(7)
HEAR ok
TALK TODAY() + grace
IF DATEDIFF(TODAY(), due) = 3 AND due > TODAY() THEN
  TALK "in three days"
END IF
TALK TODAY() + DAYS(1) + DAYS(1)
TALK TODAY() - DAYS(0.5)
WAIT DAYS(0.001)
TALK DAYS(1) = 86400
