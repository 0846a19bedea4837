' Keywords from other platform versions that only configure the channel or the UI: they run
' as a log line each
SEND SMS "+5511999999999", "Your code is 1234"
PLAY "welcome.mp3"
SET THEME "dark"
SET PAGE MODE "none"
SET MAX LINES 1000
DEBUG total
TALK "still running"
