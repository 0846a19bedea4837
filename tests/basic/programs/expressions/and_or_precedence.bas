' Checks: AND binds tighter than OR; && and || are AND and OR; comparisons bind tighter than both
TALK TRUE OR FALSE AND FALSE
TALK (TRUE OR FALSE) AND FALSE
TALK FALSE AND TRUE OR TRUE
TALK 1 < 2 AND 2 < 3
TALK 1 > 2 || 2 > 1
TALK TRUE && FALSE
TALK FALSE || FALSE && TRUE
x = 7
TALK x > 5 AND x < 10 OR x = 100
