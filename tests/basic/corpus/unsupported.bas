' Keywords from other platform versions: they parse and warn
SEND SMS "+5511999999999", "Your code is 1234"
PLAY "welcome.mp3"
SET THEME "dark"
SET PAGE MODE "none"
CREATE DRAFT "proposal", body
img = CHART "donut", data
DEBUG total
PUBLISH
TALK "still running"
