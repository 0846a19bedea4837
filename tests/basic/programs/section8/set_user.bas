' SET USER: user memory of another user of the same bot, then back
SET USER MEMORY "theme", "light"
SET USER "user:42"
SET USER MEMORY "theme", "dark"
SET USER "kyc_status", "verified"
name = "Ana"
email = "ana@example.com"
SET USER name, email
theme = GET USER MEMORY("theme")
status = GET USER MEMORY("kyc_status")
TALK "user 42: " + theme + " " + status
SET USER ""
theme = GET USER MEMORY("theme")
TALK "me: " + theme
x = GET USER MEMORY("name")
TALK "my name: " + NVL(x, "none")
