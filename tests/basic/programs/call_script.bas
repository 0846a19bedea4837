x = 5
CALL helper(x, "two")
TALK "after helper"
CALL Missing
