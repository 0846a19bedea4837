PARAM city AS STRING LIKE "Lisbon" DESCRIPTION "City to look up"
PARAM days AS INTEGER DESCRIPTION "How many days of forecast" OPTIONAL DEFAULT 3
PARAM unit AS STRING ENUM ["C", "F"] DEFAULT "C"
DESCRIPTION "Weather forecast for a city"

url = "https://api.weather.example/v1/forecast?city=" + city + "&days=" + days
forecast = GET url
IF forecast.current THEN
    summary = "Now ${forecast.current.temp}°" + unit + ", " + forecast.current.text
ELSE
    summary = "No data for " + city
END IF
RETURN summary
