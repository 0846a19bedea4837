' Checks: MONEY accepts "R$ 1.234,56"; INTEGER refuses "12.5"; FLOAT accepts "12,5"; the values are numbers
HEAR price AS MONEY
TALK price * 2
HEAR n AS INTEGER
TALK n
HEAR f AS FLOAT
TALK f + 1
