' REMOVE TOOL undoes USE TOOL; REFRESH is a logged no-op
USE TOOL "support"
USE TOOL "billing"
REMOVE TOOL "support"
tools = LIST TOOLS
TALK tools
REMOVE_TOOL "billing"
tools = LIST TOOLS
TALK COUNT(tools)
REFRESH "llm"
