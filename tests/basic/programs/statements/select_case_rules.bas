' Checks: CASE compares with = rules: numeric text matches a number, text is case-sensitive; no match and no CASE ELSE does nothing
answer = "2"
SELECT CASE answer
  CASE 1
    TALK "one"
  CASE 2
    TALK "two"
END SELECT
SELECT CASE "Yes"
  CASE "yes"
    TALK "lower"
  CASE "Yes"
    TALK "capital"
END SELECT
SELECT CASE 99
  CASE 1
    TALK "never"
END SELECT
TALK "done"
