' Checks: a tool script (PARAM lines + DESCRIPTION) run with no input: DEFAULT values are used, other params are NULL
PARAM city AS STRING LIKE "Porto" DESCRIPTION "City to check" DEFAULT "Lisbon"
PARAM days AS INTEGER DESCRIPTION "How many days" OPTIONAL DEFAULT 3
PARAM units AS STRING ENUM ["metric", "imperial"] OPTIONAL
DESCRIPTION "Weather forecast for a city"
TALK "Forecast for " + city + ", " + days + " days"
TALK units IS NULL
RETURN "ok " + city
