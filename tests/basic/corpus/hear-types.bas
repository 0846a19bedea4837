HEAR name AS NAME WITH "What is your name?"
HEAR age AS INTEGER
HEAR ok AS BOOLEAN WITH "Do you accept the terms?" DEFAULT "yes"
HEAR email AS EMAIL WITH "Your e-mail, please?" DEFAULT "none@example.com"
HEAR when AS DATE
HEAR phone AS MOBILE
HEAR cep AS ZIPCODE
HEAR amount AS MONEY
HEAR color AS "red", "green", "blue"
HEAR doc AS FILE
HEAR free WITH "Anything else?"
answer = HEAR
n = HEAR AS NUMBER
IF ok THEN TALK "Thanks, " + FIRST(name) + "." ELSE TALK "Okay."
