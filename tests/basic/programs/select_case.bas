FUNCTION Pick(x)
  TALK "evaluated"
  RETURN x
END FUNCTION
SELECT CASE Pick(2)
  CASE 1
    TALK "one"
  CASE 2, 3
    TALK "two or three"
  CASE 2
    TALK "second two"
  CASE ELSE
    TALK "other"
END SELECT
SELECT CASE "zz"
  CASE "a"
    TALK "a"
  CASE ELSE
    TALK "else branch"
END SELECT
SWITCH "b"
  CASE "a"
    TALK "A"
  CASE "b"
    TALK "B"
  DEFAULT
    TALK "default"
END SWITCH
SELECT CASE 9
  CASE 1
    TALK "no"
END SELECT
TALK "done"
