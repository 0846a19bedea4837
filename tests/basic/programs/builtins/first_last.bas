' Checks: FIRST/LAST of text are its first/last word, of a list its first/last item; the keyword form FIRST e
full = "Ana Maria Silva"
TALK FIRST(full)
TALK LAST(full)
TALK FIRST([3, 4, 5])
TALK LAST([3, 4, 5])
TALK "[" + FIRST("") + "]"
TALK FIRST([]) IS NULL
n = FIRST full
TALK n
TALK LAST("  single  ")
