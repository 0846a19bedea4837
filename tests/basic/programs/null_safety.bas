weather = {"temp": 20}
IF weather.current THEN
  TALK "has current"
ELSE
  TALK "no current"
END IF
TALK weather.current IS NULL
TALK weather?.current?.x IS NULL
name = NULL
TALK name ?? "Guest"
TALK name OR "Unknown"
nick = "Bo"
TALK nick OR "Unknown"
TALK "" ?? "empty"
TALK weather.temp > 10 ? "warm" : "cold"
TALK IIF(weather.temp > 30, "hot", "mild")
TALK NULL = NULL
TALK missing IS NULL
TALK weather.TEMP
