' Checks: TOJSON writes compact JSON; JSON parses text into lists and objects; round trip keeps values
o = {"name": "Ana", "tags": ["a", "b"], "ok": TRUE, "none": NULL}
s = TOJSON(o)
TALK s
back = JSON(s)
TALK back.tags[1]
TALK JSON("[1, 2.5, \"x\"]")[2]
TALK JSON("{\"a\": {\"b\": 42}}").a.b
TALK TOJSON("quote \" here")
TALK TOJSON(12.0)
TALK TOJSON([])
