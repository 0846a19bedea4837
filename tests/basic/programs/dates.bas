d = TODAY()
TALK d
TALK NOW()
TALK d.year & "/" & d.month
TALK FORMAT(d, "DD/MM/YYYY")
WAIT 1
TALK d + 1
