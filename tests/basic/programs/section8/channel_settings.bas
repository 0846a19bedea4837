SET THEME "dark"
SET PAGE MODE "none"
SET MAX LINES 1000
SET ANSWER MODE "direct"
PLAY "welcome.mp3"
DEBUG "total is " + 3
TALK "still here"
