TALK "checking"
ALLOW ROLE "admin"
TALK "secret"
