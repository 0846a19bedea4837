' Checks: HEAR v AS "a", "b", ... (menu): an answer matches ignoring case or by its number; others are asked again
HEAR choice AS "Pizza", "Salad", "Soup"
TALK "You chose " + choice
HEAR again AS "Yes", "No"
TALK again
