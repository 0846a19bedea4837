' SCHEDULE IN n SECONDS DO ... END SCHEDULE parses (its body is checked) and fails if it runs
TALK "before"
SCHEDULE IN 300 SECONDS DO
  TALK "later"
END SCHEDULE
TALK "after"
