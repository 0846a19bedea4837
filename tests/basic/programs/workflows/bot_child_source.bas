' Checks: a BOT given as BASIC source runs as a child: it sees input and the parent's variables; its changes come back
customer = "Ana"
STEP 1: BOT "greeter" "welcome"
TALK "greeter set: " + greeting
