' Checks: HEAR v stores the answer as text: + joins it as text, - and comparisons treat it as a number
TALK "What is your name?"
HEAR name
TALK "Hello, " + name + "!"
HEAR age
TALK age + 1
TALK age - 1
TALK VAL(age) + 1
TALK age > 9
