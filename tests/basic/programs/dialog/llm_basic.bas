' Checks: x = LLM e takes the whole expression as the prompt (LLM "a" + b is LLM("a" + b)); TALK LLM nests; canned replies
topic = "refunds"
answer = LLM "Explain " + topic
TALK answer
TALK LLM "Say hi"
