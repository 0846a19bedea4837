' knowledge-base statements: ADD KB / ADD_KB / USE KB, CLEAR KB, USE WEBSITE ... REFRESH,
' KB STATISTICS (the object a bot reads: totals and one entry per base)
ADD KB "faq"
ADD_KB "manuals"
USE KB "policies"
CLEAR KB "manuals"
USE WEBSITE "https://example.com/docs" REFRESH "1 day"
stats = KB STATISTICS
TALK stats.documents + " documents in " + UBOUND(stats.bases) + " bases, " + stats.chunks + " chunks"
FOR EACH kb IN stats.bases
  TALK kb.name + ": " + kb.documents + " docs, " + FORMAT(kb.bytes / 1024, "#,##0.0") + " KB in " + kb.collection
NEXT
IF stats.recent_documents > 0 THEN
  TALK stats.recent_documents + " added this week"
END IF
CLEAR KB
