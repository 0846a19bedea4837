' Checks: a missing member reads as NULL, members of NULL are NULL, member names ignore case
weather = {"temp": 21}
IF weather.current THEN
  TALK "has current"
ELSE
  TALK "no current"
END IF
TALK weather.current IS NULL
TALK weather.current.detail IS NULL
TALK weather.TEMP
TALK "[" + weather.wind + "]"
nothing = NULL
TALK nothing.field IS NULL
TALK neverSet.a.b IS NULL
