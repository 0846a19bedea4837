' Checks: every falsy value of BASIC.md §2: FALSE, 0, "", "false", "0", NULL, empty list, empty object
values = [FALSE, 0, "", "false", "0", NULL, [], {}]
FOR EACH v IN values
  TALK TOJSON(v) + " -> " + IIF(v, "truthy", "falsy")
NEXT
IF NOT "FALSE" THEN TALK "FALSE in capitals is falsy too"
