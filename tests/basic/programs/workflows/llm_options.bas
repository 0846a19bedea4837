' Checks: LLM e WITH OPTIMIZE FOR / MAX_COST / MAX_LATENCY / TASK; an option on the line after the LLM
a = LLM "quick answer" WITH OPTIMIZE FOR "speed"
b = LLM "cheap answer" WITH MAX_COST 0.05
c = LLM "fast answer" WITH MAX_LATENCY 500
d = LLM "Summarise: " + "text"
  WITH TASK "summarise"
TALK d
