' BOT "moderation-signals": spam signals of item.text that need no model: links, shouting,
' repeated punctuation; with config reputation_url set, the links are checked against that
' service too (a failure fails the step, which the workflow retries). Sets link_count,
' signal_score and flagged_links.

' The share of capitals among the letters of the text (0 when it has fewer than 10 letters).
FUNCTION shouting(text)
  letters = 0
  capitals = 0
  FOR EACH ch IN text
    IF LCASE(ch) <> UCASE(ch) THEN
      letters = letters + 1
      IF ch = UCASE(ch) THEN
        capitals = capitals + 1
      END IF
    END IF
  NEXT
  RETURN IIF(letters < 10, 0, capitals / MAX(letters, 1))
END FUNCTION

link_count = UBOUND(SPLIT(LCASE(item.text ?? ""), "http")) - 1
signal_score = 0.25 * link_count
IF shouting(item.text ?? "") > 0.7 THEN
  signal_score = signal_score + 0.3
END IF
IF item.text CONTAINS "!!!" OR item.text CONTAINS "$$$" THEN
  signal_score = signal_score + 0.2
END IF
flagged_links = 0
IF link_count > 0 AND NOT ISEMPTY(reputation_url) THEN
  reputation = POST reputation_url, {"item": item.id, "text": item.text}
  flagged_links = VAL(reputation.flagged)
  signal_score = signal_score + 0.5 * flagged_links
END IF
signal_score = MIN(1, ROUND(signal_score, 2))
TALK "Item " + item.id + ": " + link_count + " link(s), signal score " + signal_score + "."
