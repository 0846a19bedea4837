' Checks: a?.b reads like a.b and gives NULL (not an error) when a is NULL
user = {"profile": {"city": "Porto"}}
TALK user?.profile?.city
TALK user?.address?.city IS NULL
guest = NULL
TALK guest?.name IS NULL
TALK guest?.name ?? "anonymous"
TALK user.profile?.city + "!"
