' Checks: array literals: 0-based index, nesting, out-of-range reads NULL, JSON printing, assignment by index
list1 = [10, "a", TRUE, NULL, [1, 2]]
TALK list1[0]
TALK list1[1]
TALK list1[4][1]
TALK list1.length
TALK UBOUND(list1)
TALK list1
TALK list1[9] IS NULL
empty = []
TALK UBOUND(empty) = 0
list1[1] = "b"
TALK list1[1]
TALK [1, 2] + [3]
