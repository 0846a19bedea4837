' Checks: {name} and {{name}} are left alone (REPLACE targets, templates); only ${...} interpolates
tpl = "Dear {name}, your code is {{code}}"
TALK tpl
TALK REPLACE(tpl, "{name}", "Ana")
TALK "Price: $5 and ${2 + 3}"
TALK "{" + "x" + "}"
