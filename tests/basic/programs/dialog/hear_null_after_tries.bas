' Checks: without DEFAULT, three invalid answers leave the variable NULL and the script goes on
HEAR n AS INTEGER
TALK n IS NULL
