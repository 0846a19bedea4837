' BOT "moderation-classifier": the label (ok, spam, abuse) of item.text and how sure it is. The
' model (routed by classify_goal) is asked for JSON; any other answer falls back to word rules
' whose confidence grows with the evidence. Authors with offender_limit offences or more (the
' count moderation-records shares with this bot) get less trust. Sets label, confidence,
' classified_by and author_offences.

' How many of the words occur in the text (the rules' evidence).
FUNCTION hits(text, words)
  found = 0
  FOR EACH word IN words
    IF text CONTAINS word THEN
      found = found + 1
    END IF
  NEXT
  RETURN found
END FUNCTION

' The model's verdict when it answered JSON with a known label, else NULL.
FUNCTION model_verdict(answer)
  verdict = NULL
  IF LEFT(TRIM(answer), 1) = "{" THEN
    ON ERROR RESUME NEXT
    verdict = JSON(answer)
    ON ERROR GOTO 0
  END IF
  IF CONTAINS(["ok", "spam", "abuse"], LCASE(verdict.label ?? "")) AND VAL(verdict.confidence) > 0 THEN
    RETURN {"label": LCASE(verdict.label), "confidence": MIN(1, VAL(verdict.confidence))}
  END IF
  RETURN NULL
END FUNCTION

answer = LLM "Moderate this user post. Answer only with JSON like {\"label\": \"ok|spam|abuse\", " +
  "\"confidence\": 0.0-1.0}. Post: " + item.text
  WITH OPTIMIZE FOR classify_goal
  WITH TASK "classify"
verdict = model_verdict(answer)

IF NOT ISEMPTY(verdict) THEN
  label = verdict.label
  confidence = verdict.confidence
  classified_by = "model"
ELSE
  spam = hits(LCASE(item.text), ["buy now", "free money", "click here", "limited offer", "casino", "crypto giveaway"])
  abuse = hits(LCASE(item.text), ["idiot", "stupid", "hate you", "kill", "moron", "trash"])
  IF abuse > 0 AND abuse >= spam THEN
    label = "abuse"
    confidence = MIN(0.99, 0.4 + 0.3 * abuse)
  ELSE IF spam > 0 THEN
    label = "spam"
    confidence = MIN(0.99, 0.4 + 0.3 * spam)
  ELSE
    label = "ok"
    confidence = 0.9
  END IF
  classified_by = "rules"
END IF

author_offences = VAL(GET BOT MEMORY("offences:" + item.author))
IF author_offences >= offender_limit AND label = "ok" THEN
  confidence = ROUND(confidence / 2, 2)
END IF
TALK "Item " + item.id + ": " + label + " (" + confidence + ", by " + classified_by + ")."
