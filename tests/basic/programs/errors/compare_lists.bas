' Checks: ordering lists with < is an error (= compares them item by item)
same = [1, 2] = [1, 2]
TALK same
bad = [1] < [2]
