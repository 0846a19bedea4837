' Checks: BEGIN TALK ... END TALK is one message: ${} interpolated, common indentation removed, ' and # kept as text
name = "Ana"
BEGIN TALK
  Hello ${name}!
  Your order #42 ships today.
  Don't reply 'here'.
END TALK
TALK "after"
