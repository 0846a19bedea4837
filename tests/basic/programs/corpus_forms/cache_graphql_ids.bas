' CACHE SET / CACHE GET, GRAPHQL, SESSION_ID() / BOT_ID() / USER_ID(), ANSWER, RESET REPORT
CACHE SET "session:" + SESSION_ID(), #{step: 2}, 3600
ctx = CACHE GET "session:" + SESSION_ID()
TALK ctx.step
CACHE SET "forever", "kept"
TALK CACHE GET "forever"
missing = CACHE GET "never-set"
IF missing IS NULL THEN TALK "nothing cached"
SET BOT MEMORY "cache:old", #{value: 1, expires: "2000-01-01 00:00:00"}
old = CACHE GET "old"
IF old IS NULL THEN TALK "expired"
TALK BOT_ID() + " / " + USER_ID()
q = "query { users(first: 2) { name } }"
r = GRAPHQL "https://api.example.com/graphql", q, #{limit: 2}
TALK r.data.users[0].name
list = ANSWER "The latest orders"
TALK list
RESET REPORT
SEND MESSAGE "Stock for " + "PRD-1" + ":"
stock = SOAP "https://erp.example.com/Inventory?wsdl", "GetStock", #{code: "PRD-1", note: "a<b", tags: ["x", "y"]}
TALK stock
