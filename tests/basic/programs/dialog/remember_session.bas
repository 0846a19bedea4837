' Checks: REMEMBER k, v[, duration] and RECALL k; session variables SET "session.k", v and GET "session.k"
REMEMBER "favorite_color", "blue"
REMEMBER "last_order", 42, "30 days"
c = RECALL "favorite_color"
TALK c
SET "session.step", 2
s = GET "session.step"
TALK s + 1
