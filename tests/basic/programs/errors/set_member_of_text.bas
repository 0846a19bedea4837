' Checks: setting a member of a text value is an error (only objects have members to set)
s = "abc"
s.color = "red"
