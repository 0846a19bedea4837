' Content moderation: every submitted item is classified by a model (routed for cost) and
' scored on spam signals in parallel; the confidence decides: auto-approve, auto-reject, or a
' person's review (with an escalation when the reviewer does not answer). Offences of an author
' are remembered in memory shared between the bots; rejected authors may appeal by event.
' Every setting is a param-* row of config.csv (see ../../README.md).
ORCHESTRATE WORKFLOW "content-moderation"

IF ISEMPTY(batch_id) THEN
  batch_id = "B-" + UPPER(LEFT(GUID(), 8))
END IF
results = []
approved_count = 0
rejected_count = 0
reviewed_count = 0

FOR EACH item IN items
  STEP 1: PARALLEL
    BRANCH A
      STEP 1.1: BOT "moderation-classifier" "classify the item"
        RETRY check_retries
    END BRANCH
    BRANCH B
      STEP 1.2: BOT "moderation-signals" "score the item's signals"
        RETRY check_retries
    END BRANCH
  END PARALLEL

  ' label and confidence come from branch A, signal_score and link_count from branch B.
  IF signal_score >= signal_limit AND label = "ok" THEN
    label = "spam"
    confidence = 0.5
  END IF
  decided_by = "auto"
  IF label = "ok" AND confidence >= approve_threshold THEN
    decision = "approved"
  ELSE IF label <> "ok" AND confidence >= reject_threshold THEN
    decision = "rejected"
  ELSE
    STEP 2: HUMAN APPROVAL FROM reviewer
      TIMEOUT review_timeout
      ON TIMEOUT: ESCALATE TO senior_reviewer
    reviewed_count = reviewed_count + 1
    IF approved THEN
      decision = "approved"
      decided_by = approver
    ELSE IF approval_status = "timeout" THEN
      decision = "held"
      decided_by = "nobody in time"
    ELSE
      decision = "rejected"
      decided_by = approver
    END IF
  END IF

  STEP 3: BOT "moderation-records" "record the decision"
  IF decision = "approved" THEN
    approved_count = approved_count + 1
  ELSE
    rejected_count = rejected_count + 1
  END IF
  results = PUSH(results, {"id": item.id, "author": item.author, "decision": decision, "label": label,
    "confidence": confidence, "by": decided_by, "offences": offences})
  PUBLISH EVENT "moderation_decided" WITH {"batch": batch_id, "item": item.id, "decision": decision}
NEXT

TALK "Batch " + batch_id + ": " + approved_count + " approved, " + rejected_count + " rejected or held (" +
  reviewed_count + " reviewed by a person)."

' Appeals: an author publishes moderation_appeal {"batch", "item", "reason"}; the window closes
' when none has come for appeal_window seconds.
appeals = 0
DO WHILE rejected_count > 0
  appeal = WAIT FOR EVENT "moderation_appeal" TIMEOUT appeal_window WHERE batch = batch_id
  IF event_timed_out THEN
    EXIT DO
  END IF
  appeals = appeals + 1
  STEP 4: HUMAN APPROVAL FROM appeals_reviewer
    TIMEOUT appeal_timeout
    ON TIMEOUT: REJECT appeal not reviewed in time
  FOR EACH result IN results
    IF result.id = appeal.item AND result.decision <> "approved" AND approved THEN
      result.decision = "reinstated"
      result.by = approver
      item = {"id": result.id, "author": result.author}
      decision = "reinstated"
      decided_by = approver
      STEP 5: BOT "moderation-records" "withdraw the offence"
      result.offences = offences
    END IF
  NEXT
  PUBLISH EVENT "moderation_appeal_decided" WITH {"batch": batch_id, "item": appeal.item, "upheld": approved}
LOOP

PUBLISH EVENT "moderation_done" WITH {"batch": batch_id, "results": results, "appeals": appeals}
END WORKFLOW
