' Checks: a boolean equals its text and 1 / 0; "false" text from an answer is falsy
flag = TRUE
TALK flag = "true"
TALK flag = 1
TALK FALSE = 0
TALK flag = "yes"
answer = "false"
IF answer THEN
  TALK "truthy"
ELSE
  TALK "falsy"
END IF
