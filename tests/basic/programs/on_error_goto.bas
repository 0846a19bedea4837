ON ERROR GOTO handler
TALK "start"
x = 1 / 0
TALK "not here"
handler:
TALK "caught: " & err
