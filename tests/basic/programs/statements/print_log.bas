' Checks: PRINT and LOG go to the server log ([LOG text] in the FakeHost), not to the user
PRINT "debug " + 1
LOG "user said hi"
TALK "visible"
PRINT {"a": 1}
LOG 2 * 21
