' Checks: text.replace replaces every occurrence (documented choice, unlike JavaScript); chains of methods
t = "a-b-c"
TALK t.replace("-", "+")
TALK t.replace("-", "").toUpperCase()
TALK "  x ".trim().length
TALK "abc".toUpperCase().toLowerCase()
