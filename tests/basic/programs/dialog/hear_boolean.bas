' Checks: HEAR v AS BOOLEAN accepts yes/no words in English and Portuguese; the value is a boolean
FOR i = 1 TO 4
  HEAR ok AS BOOLEAN
  IF ok THEN
    TALK "yes -> " + ok
  ELSE
    TALK "no -> " + ok
  END IF
NEXT
