' JSON PARSE text is JSON(text); an object stays as it is
raw = TOJSON({"documents": 3, "chunks": [1, 2]})
stats = JSON PARSE raw
TALK stats.documents + LEN(stats.chunks)
again = JSON PARSE stats
TALK again.documents
