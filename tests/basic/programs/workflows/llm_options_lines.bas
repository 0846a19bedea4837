' Checks: several LLM options, each on its own WITH line after the LLM (options may sit on following lines)
r = LLM "Plan the trip"
  WITH OPTIMIZE FOR "quality"
  WITH MAX_COST 2
TALK r
