PARAM description AS STRING DESCRIPTION "What to buy"
PARAM type AS "the kind of product, e.g. book"
PARAM date AS DATE OPTIONAL DEFAULT "2024-01-20"
TALK description + " / " + type + " / " + date
