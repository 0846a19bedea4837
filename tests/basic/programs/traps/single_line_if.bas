' Checks: trap: single-line IF c THEN stmt in real scripts (assignments, TALK, EXIT FOR), next to block IFs
desconto = 0
valor = 250
IF valor > 200 THEN desconto = 10
IF valor > 1000 THEN desconto = 20
TALK "desconto " + desconto
FOR EACH v IN [1, 2, 3]
  IF v = 2 THEN EXIT FOR
  TALK v
NEXT
IF desconto > 0 THEN
  TALK "com desconto"
END IF
