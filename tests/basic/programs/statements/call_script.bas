' Checks: CALL name with no such SUB runs name.bas of the same bot (FakeHost: canned result), with and without args
CALL helper("x", 2)
CALL Helper
TALK "after"
