' QUERY METRICS: buckets of the bot's counts (the test host keeps no history: zeros)
messages = QUERY METRICS "messages" FOR "24h"
TALK UBOUND(messages) + " bucket, " + SUM(messages, "count") + " messages since " + messages[0].time
hourly = QUERY METRICS "messages" FOR "6h" BY "2h"
FOR EACH b IN hourly
  TALK b.time + ": " + b.count
NEXT
tokens = QUERY METRICS "llm_tokens" FOR "7d" BY "1d" OFFSET 1
TALK UBOUND(tokens) + " days, " + SUM(tokens, "total_tokens") + " tokens"
speed = QUERY_METRICS "response_time" FOR 3600
TALK "mean " + speed[0].duration_ms + " ms"
