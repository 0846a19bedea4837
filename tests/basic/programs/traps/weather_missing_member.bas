' Checks: trap: IF on a member the HTTP answer does not have (missing members read as NULL, no error)
weather = GET "https://api.example.com/weather?city=Porto"
IF weather.current THEN
  TALK "Agora: " + weather.current.temp
ELSE IF weather.forecast THEN
  TALK "Previsão: " + weather.forecast[0]
ELSE
  TALK "sem dados"
END IF
