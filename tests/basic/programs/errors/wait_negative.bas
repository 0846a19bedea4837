' Checks: WAIT with a negative number of seconds is refused
WAIT 1
WAIT -1
