SUB AskAge()
  HEAR age AS INTEGER
  ages.push(age)
END SUB
ages = []
mode = "survey"
SELECT CASE mode
  CASE "survey"
    FOR EACH who IN ["Ana", "Bob"]
      IF LEN(who) > 0 THEN
        TALK "Age of " & who & "?"
        AskAge()
        WAIT 1
      END IF
    NEXT
END SELECT
n = 0
DO WHILE n < 2
  n = n + 1
  HEAR answer
  TALK "got " & answer
LOOP
TALK ages
