' Marketing campaign: two variants of the message (A/B), three audience segments selected in
' parallel, a sign-off by a person, the channel's confirmation that it has the list, sends
' scheduled with DELAY, then the responses collected from events and a winner picked.
' Inputs: campaign_id, product, offer (and optionally contacts); settings in config.csv.
ORCHESTRATE WORKFLOW "marketing-campaign"

responses_a = 0
responses_b = 0
ON EVENT "campaign_response" DO
  IF event_data.campaign = campaign_id THEN
    IF event_data.variant = "A" THEN
      responses_a = responses_a + 1
    ELSE
      responses_b = responses_b + 1
    END IF
  END IF
END ON

STEP 1: BOT "campaign-copy" "write the variants"

STEP 2: PARALLEL
  BRANCH A: BOT "campaign-audience" "new customers"
  BRANCH B: BOT "campaign-audience" "loyal customers"
  BRANCH C: BOT "campaign-audience" "lapsed customers"
END PARALLEL
audience = audience_new + audience_loyal + audience_lapsed
campaign_status = "ready"
stop_reason = ""

IF UBOUND(audience) = 0 THEN
  campaign_status = "cancelled"
  stop_reason = "no contact in any segment"
ELSE
  STEP 3: HUMAN APPROVAL FROM signoff_approver
    TIMEOUT signoff_timeout
    ON TIMEOUT: ESCALATE TO signoff_escalation
  IF NOT approved THEN
    campaign_status = "cancelled"
    stop_reason = "not signed off (" + approval_status + ") " + approval_comment
  END IF
END IF

IF campaign_status = "ready" THEN
  PUBLISH EVENT "audience_export" WITH {"campaign": campaign_id, "channel": channel, "contacts": audience}
  STEP 4: synced = WAIT FOR EVENT "audience_synced" TIMEOUT sync_timeout WHERE campaign = campaign_id
  IF event_timed_out THEN
    campaign_status = "cancelled"
    stop_reason = channel + " did not confirm the list within " + sync_timeout + " seconds"
  END IF
END IF

IF campaign_status = "ready" THEN
  STEP 5: PARALLEL
    DELAY send_delay
    BRANCH A
      STEP 6: BOT "campaign-sender" "send variant A"
        RETRY send_retries
    END BRANCH
    BRANCH B
      STEP 7: BOT "campaign-sender" "send variant B"
        RETRY send_retries
    END BRANCH
  END PARALLEL
  PUBLISH EVENT "campaign_sent" WITH {"campaign": campaign_id, "product": product, "offer": offer, "sent_a": sent_a, "sent_b": sent_b}
  STEP 8: closing = WAIT FOR EVENT "campaign_closed" TIMEOUT results_window WHERE campaign = campaign_id
  STEP 9: BOT "campaign-results" "pick the winner"
  campaign_status = "done"
  TALK "Campaign " + campaign_id + ": variant " + winner + " won (" + responses_a + " / " + sent_a + " against " + responses_b + " / " + sent_b + ")."
ELSE
  TALK "Campaign " + campaign_id + " stopped: " + stop_reason + "."
END IF
STEP 10: BOT "campaign-audience" "release the audience"
END WORKFLOW
