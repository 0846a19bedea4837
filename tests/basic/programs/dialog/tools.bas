' Checks: USE TOOL, ADD TOOL and ADD_TOOL make a tool available (same host call); CLEAR TOOLS
USE TOOL "get-weather"
ADD TOOL "book-flight"
ADD_TOOL "cancel-order"
CLEAR TOOLS
USE TOOL "faq"
