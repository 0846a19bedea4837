' Checks: JS-style list methods: push (returns the new length), length, contains/includes, join, indexOf, pop, slice
fruits = ["apple"]
fruits.push("pear")
n = fruits.push("fig")
TALK n
TALK fruits.length
TALK fruits.contains("pear")
TALK fruits.includes("kiwi")
TALK fruits.join(" | ")
TALK fruits.indexOf("fig")
gone = fruits.pop()
TALK gone
TALK fruits
TALK fruits.slice(1)
TALK fruits.join()
