TALK "one"
PLAY "song.mp3"
TALK "two"
