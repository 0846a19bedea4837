' Checks: c ? a : b is the lowest level, nests to the right, uses BASIC truth
age = 20
TALK age >= 18 ? "adult" : "minor"
TALK age < 13 ? "child" : age < 18 ? "teen" : "adult"
TALK 1 + 1 = 2 ? "math works" : "broken"
x = age > 30 OR age < 25 ? "edge" : "middle"
TALK x
TALK "" ? "yes" : "no"
TALK (age > 10 ? 1 : 2) + 10
label = UBOUND([1, 2]) = 0 ? "empty" : "has items"
TALK label
