' Forms from older platform generations
SET MAX LINES 1000
list = FIND "Mailing Global.xlsx"
indice = 1
do while indice < ubound(list)
	row = list[indice]
valid = row.email CONTAINS "@"
indice = indice + 1
IF valid THEN SET "session.last", row.email
END IF
loop
talk “Validate OK. “
SET_BOT_MEMORY "resume" resume
image = GET IMAGE "A bicycle on a beach"
return true;
