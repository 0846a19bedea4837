' Checks: after 3 invalid answers HEAR v AS type DEFAULT e gets the default (no fourth prompt)
HEAR n AS NUMBER DEFAULT 10
TALK "n = " + n
