' a session key that is empty (an unset variable) is an error naming it
SET SESSION "ok", 1
TALK GET SESSION "ok"
SET SESSION missing, 2
