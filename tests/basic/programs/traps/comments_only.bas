' Checks: trap: a file with only comments and blank lines loads and does nothing (the last line proves the run ended)
REM nothing here

# just notes
// TODO: write the bot

TALK "loaded"
