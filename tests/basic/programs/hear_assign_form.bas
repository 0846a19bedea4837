answer = HEAR
TALK "you said " & answer
HEAR qty AS NUMBER
TALK qty * 2
