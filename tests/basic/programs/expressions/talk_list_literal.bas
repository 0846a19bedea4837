' Checks: a statement may start with a keyword followed by a list literal: TALK [1, 2] = [1, 2] compares two lists
TALK [1, 2] = [1, 2]
TALK [1, 2] = [2, 1]
TALK [1, 2].length
