' Checks: comments of every kind: ' anywhere outside strings, REM as first word, # and // as first character
' a full-line comment
REM a REM comment
rem lower-case rem
# a hash comment
// a slash comment
TALK "one" ' trailing comment
TALK "it's here" ' an apostrophe inside a string is not a comment
TALK "# not a comment"
TALK "// not a comment either"
x = 5 ' comment after an assignment
TALK x
