name = "Ana"
SAVE "leads" WITH name AS name, score AS 10 * 2, "source" AS "web"
SAVE "leads", name, 7
