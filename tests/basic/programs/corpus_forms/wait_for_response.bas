' WAIT FOR RESPONSE: an answer with a time limit (NULL when none comes)
TALK "Did the agent help you? (Yes/No)"
WAIT FOR RESPONSE AS reply TIMEOUT 60
IF reply IS NOT NULL THEN
  TALK "You said: " + reply
END IF
WAIT FOR RESPONSE TIMEOUT 30
TALK "response is " + response
second = WAIT FOR RESPONSE TIMEOUT 5
IF second IS NULL THEN
  TALK "No answer in time."
END IF
