' Checks: a string literal may span lines; the newline is part of the text (written \n in the transcript)
msg = "line one
line two"
TALK msg
TALK LEN(msg)
TALK "a\nb" = "a
b"
