TALK "Hello, world!"
TALK "Sum: " + (1 + 2)
name = "Ana"
TALK "Hi ${name}, you have ${2 * 3} messages"
TALK "Tab\tand \"quotes\""
