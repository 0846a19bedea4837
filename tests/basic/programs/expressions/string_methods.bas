' Checks: JS-style text methods: trim, toUpperCase, toLowerCase, length, split, includes, startsWith, indexOf, substring
s = "  Hello World  "
t = s.trim()
TALK "[" + t + "]"
TALK t.toUpperCase()
TALK t.toLowerCase()
TALK t.length
TALK t.length()
parts = t.split(" ")
TALK parts[1]
TALK t.includes("WORLD")
TALK t.startsWith("Hell")
TALK t.endsWith("d")
TALK t.indexOf("World")
TALK t.indexOf("xyz")
TALK t.substring(0, 5)
TALK "a,b,c".split(",").length
