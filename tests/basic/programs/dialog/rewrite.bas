' Checks: REWRITE e is a keyword expression over the whole expression (the FakeHost gives the text back)
t = REWRITE "hello there " + "friend"
TALK t
