' Checks: BEGIN SYSTEM PROMPT ... END SYSTEM PROMPT sets the system prompt; the body is raw text (quotes, ' and # kept), ${} interpolated
botname = "Helper"
BEGIN SYSTEM PROMPT
  You are ${botname}, a "friendly" assistant.
  # Rules
  - Don't invent prices.
END SYSTEM PROMPT
TALK "ready"
