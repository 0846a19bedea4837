ALLOW ROLE "manager", "admin"
USE TOOL "weather"
USE TOOL "orders"
LIST TOOLS
tools = LIST TOOLS
TALK UBOUND(tools)
WRITE "reports/a.txt", "x"
files = DIR "reports"
TALK files[0]
