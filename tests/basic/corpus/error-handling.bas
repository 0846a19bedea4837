ON ERROR RESUME NEXT
result = GET "https://unstable.example/data"
ON ERROR GOTO 0
IF result IS NULL THEN
    GOTO fallback
END IF
TALK result.message
EXIT

fallback:
TALK "Service unavailable, try later."
THROW "upstream failed"
