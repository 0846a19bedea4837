' Checks: REPLACE replaces every occurrence, case-sensitive; {placeholders}; empty search text changes nothing
TALK REPLACE("a-b-c", "-", "/")
TALK REPLACE("Hello {name}, {name}!", "{name}", "Ana")
TALK REPLACE("aaa", "a", "bb")
TALK REPLACE("Case case", "case", "X")
TALK REPLACE("abc", "", "X")
TALK REPLACE("R$ 10,50", ",", ".")
