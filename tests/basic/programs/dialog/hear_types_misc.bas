' Checks: typed HEAR conversions: DATE (DD/MM/YYYY to a date), HOUR (to HH:MM), MOBILE (digits), ZIPCODE, NAME
HEAR d AS DATE
TALK FORMAT(d, "YYYY-MM-DD")
HEAR h AS HOUR
TALK h
HEAR phone AS MOBILE
TALK phone
HEAR zip AS ZIPCODE
TALK zip
HEAR who AS NAME
TALK who
