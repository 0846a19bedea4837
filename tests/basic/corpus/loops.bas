FOR i = 1 TO 10 STEP 2
    IF i = 7 THEN EXIT FOR
    PRINT i
NEXT i

n = 0
WHILE n < 3
    n = n + 1
WEND

DO UNTIL n = 0
    n = n - 1
LOOP

DO
    n += 1
LOOP WHILE n < 5

WHILE TRUE
    BREAK
END WHILE

For Each x In [3, 2, 1]
    Talk x
Next
