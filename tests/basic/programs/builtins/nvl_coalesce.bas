' Checks: NVL replaces NULL only; COALESCE gives the first non-NULL of any number of values
TALK NVL(NULL, "default")
TALK NVL("", "default") = ""
TALK NVL(0, 5)
TALK COALESCE(NULL, NULL, "third", "fourth")
TALK COALESCE(NULL, 0, 1)
TALK COALESCE(NULL) IS NULL
person = {"name": "Ana"}
TALK COALESCE(person.nickname, person.name, "friend")
