TALK "start"
q = "SELECT * FROM a JOIN b ON a.id = b.id"
rows = QUERY q
