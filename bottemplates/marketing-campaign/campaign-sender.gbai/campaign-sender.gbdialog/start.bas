' BOT "campaign-sender": "send variant A" / "send variant B" sends that variant's message on
' the campaign's channel to every other contact of the audience (A the 1st, 3rd ...; B the
' 2nd, 4th ...). Sends are counted in bot memory (sent:<campaign>:<variant>). provider_failures
' makes the channel refuse the first N calls of each variant: set it to see STEP RETRY work
' (0 in production, where a real provider's refusals come from its API).
FUNCTION provider_call(key)
  calls = NVL(GET BOT MEMORY("provider_calls:" + key), 0) + 1
  SET BOT MEMORY "provider_calls:" + key, calls
  RETURN calls
END FUNCTION

FUNCTION send_variant(letter, message)
  call = provider_call(campaign_id + ":" + letter)
  IF call <= provider_failures THEN
    THROW channel + " refused the send of variant " + letter + " (call " + call + ")"
  END IF
  count = 0
  FOR i = 0 TO UBOUND(audience) - 1
    IF (i MOD 2 = 0 AND letter = "A") OR (i MOD 2 = 1 AND letter = "B") THEN
      IF channel = "email" THEN
        SEND MAIL audience[i], offer, message + "\n\nReply with the code " + campaign_id + "-" + letter + "."
      ELSE
        LOG channel + " to " + audience[i] + ": " + message
      END IF
      count = count + 1
    END IF
  NEXT
  SET BOT MEMORY "sent:" + campaign_id + ":" + letter, count
  RETURN count
END FUNCTION

IF input = "send variant A" THEN
  sent_a = send_variant("A", copy_a)
  TALK "Variant A sent to " + sent_a + " contacts by " + channel + "."
ELSE IF input = "send variant B" THEN
  sent_b = send_variant("B", copy_b)
  TALK "Variant B sent to " + sent_b + " contacts by " + channel + "."
ELSE
  THROW "campaign-sender does not know the action '" + input + "'"
END IF
