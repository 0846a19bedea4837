' Checks: trap: tabs used for indentation (and between words) mean nothing
x	=	2
IF x = 2 THEN
	TALK "tab ok"
	FOR i = 1 TO 2
		TALK	"i " + i
	NEXT
END IF
