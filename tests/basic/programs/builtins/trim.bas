' Checks: TRIM removes surrounding blanks (spaces, tabs) and keeps inner ones; NULL gives ""
TALK "[" + TRIM("  a b  ") + "]"
TALK "[" + TRIM("\tx\t") + "]"
TALK LEN(TRIM("   "))
TALK "[" + TRIM(NULL) + "]"
answer = " yes "
IF TRIM(answer) = "yes" THEN TALK "matched"
