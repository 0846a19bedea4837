TALK "start"
THROW "bad input"
TALK "never"
