' Checks: an unknown JS-style method fails naming the method and the value's type
s = "abc"
TALK s.toUpperCase()
TALK s.frobnicate()
