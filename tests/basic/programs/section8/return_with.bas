PARAM city AS STRING
total = 3 * 4
RETURN WITH city AS UCASE(city), total AS total, ok = TRUE
