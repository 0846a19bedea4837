HEAR age AS INTEGER
TALK "age " & age
HEAR ok AS BOOLEAN
IF ok THEN TALK "confirmed"
HEAR mail AS EMAIL
TALK "mail " & mail
HEAR d AS DATE
TALK "date " & d
HEAR color AS "red", "green", "blue"
TALK "color " & color
HEAR backup AS EMAIL WITH "Your backup email?" DEFAULT "none@example.com"
TALK "backup " & backup
HEAR name
TALK "name " & name
HEAR again AS BOOLEAN
TALK "again " & again
