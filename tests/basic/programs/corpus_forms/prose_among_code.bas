TALK "Welcome"
For each order we send a mail
