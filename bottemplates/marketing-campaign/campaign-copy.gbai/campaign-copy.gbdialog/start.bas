' BOT "campaign-copy" "write the variants": the two messages of the A/B test, written by the
' LLM (routed by copy_model_goal): A leads with the benefit, B with urgency. Offline, each
' variant is a plain sentence built from the product and the offer.
FUNCTION variant(style, fallback)
  text = LLM "Write one marketing sentence for " + product + " with the offer '" + offer + "', leading with " + style + "."
    WITH OPTIMIZE FOR copy_model_goal
    WITH TASK "chat"
  IF text CONTAINS "[offline model]" THEN
    text = fallback
  END IF
  RETURN text
END FUNCTION

copy_a = variant("the benefit", product + ": " + offer + ".")
copy_b = variant("urgency", "Only this week: " + offer + " on " + product + ".")
SET BOT MEMORY "copy:" + campaign_id, #{a: copy_a, b: copy_b}
TALK "A: " + copy_a
TALK "B: " + copy_b
