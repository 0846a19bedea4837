ON ERROR RESUME NEXT
x = 1 / 0
TALK "still running"
y = UNKNOWNFN(2)
TALK "y is null: " & (y IS NULL)
THROW "ignored"
ON ERROR GOTO 0
z = 1 / 0
TALK "not reached"
