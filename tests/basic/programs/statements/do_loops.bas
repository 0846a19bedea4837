' Checks: DO WHILE c ... LOOP, DO UNTIL c ... LOOP, DO ... LOOP WHILE c, DO ... LOOP UNTIL c (post-tests run once)
i = 0
DO WHILE i < 3
  i = i + 1
LOOP
TALK "while: " + i
DO UNTIL i = 0
  i = i - 1
LOOP
TALK "until: " + i
DO
  i = i + 10
LOOP WHILE i < 5
TALK "post while: " + i
DO
  i = i + 1
LOOP UNTIL i >= 13
TALK "post until: " + i
n = 100
DO WHILE n < 5
  TALK "never"
LOOP
DO
  TALK "once"
LOOP WHILE FALSE
