' Checks: DELEGATE "msg" TO BOT "b" [TIMEOUT s] as a value and as a statement; the FakeHost's default reply
r = DELEGATE "Where is order 7?" TO BOT "orders" TIMEOUT 30
TALK r
DELEGATE "FYI: customer upset" TO BOT "supervisor"
TALK "done"
