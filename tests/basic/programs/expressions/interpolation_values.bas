' Checks: how values print inside ${}: booleans, NULL, decimals, lists and objects as JSON
flag = TRUE
nothing = NULL
tags = ["a", "b"]
obj = {"k": 1}
TALK "flag=${flag} nothing=[${nothing}] half=${1 / 2}"
TALK "tags=${tags} obj=${obj}"
TALK "count=${tags.length} last=${tags[tags.length - 1]}"
