SAVE FROM UNSTRUCTURED "contacts", "nothing useful"
TALK "not reached"
