' The tables of moderation-records: one row per moderated item, updated when an appeal is upheld.
TABLE decisions
  id AS string(100) KEY
  batch AS string(20)
  author AS string(100)
  decision AS string(20)
  label AS string(10)
  confidence AS number(4, 2)
  decided_by AS string(100)
END TABLE
