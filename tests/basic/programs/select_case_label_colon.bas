' A CASE line may end with a colon and nothing after it (the body is on the lines below).
day = 7
SELECT CASE day
  CASE 1, 7:
    TALK "weekend"
  CASE 2: TALK "monday"
  CASE ELSE
    TALK "weekday"
END SELECT
