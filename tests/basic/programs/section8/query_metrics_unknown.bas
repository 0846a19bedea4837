period = "1h"
name = "storage_usage"
TALK "before"
x = QUERY METRICS name FOR period
