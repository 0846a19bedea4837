' Checks: GUID()/UUID() give 36-character lower-case version 4 UUIDs, different on each call (properties only)
g = GUID()
u = UUID()
TALK LEN(g) = 36
TALK LEN(u) = 36
TALK MID(g, 9, 1) = "-"
TALK MID(g, 15, 1) = "4"
TALK g <> u
TALK g = LCASE(g)
TALK UBOUND(SPLIT(g, "-"))
