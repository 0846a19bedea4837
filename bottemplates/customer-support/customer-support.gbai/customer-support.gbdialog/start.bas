' Customer support: a chat entry, triage, an answer from the knowledge base, a two-level
' escalation ladder, the customer's replies by event and a satisfaction follow-up.
' Every setting is a param-* row of config.csv (see ../../README.md).
ORCHESTRATE WORKFLOW "customer-support"

' The chat entry: started from a conversation the question is heard; started over the API
' it comes as the variable question (with customer and ticket_id).
IF ISEMPTY(question) THEN
  TALK greeting
  HEAR question
END IF
IF ISEMPTY(customer) THEN
  customer = "anonymous"
END IF
IF ISEMPTY(ticket_id) THEN
  ticket_id = "T-" + UPPER(LEFT(GUID(), 8))
END IF
TALK "Ticket " + ticket_id + " opened."

' What the customer adds while the case waits (from mail, a form, the chat gateway).
customer_notes = []
ON EVENT "support_reply" DO
  IF event_data.ticket = ticket_id THEN
    customer_notes = PUSH(customer_notes, event_data.text)
    TALK "Added to ticket " + ticket_id + ": " + event_data.text
  END IF
END ON

STEP 1: BOT "support-triage" "triage the question"
SAVE "tickets", {"id": ticket_id, "customer": customer, "question": question, "category": category,
  "urgency": urgency, "status": "open"}

resolved_by = ""
IF NOT needs_person THEN
  STEP 2: BOT "support-kb" "answer from the knowledge base"
  IF kb_answered THEN
    TALK kb_answer
    TALK "Did this solve your problem?"
    feedback = WAIT FOR EVENT "support_feedback" TIMEOUT feedback_timeout WHERE ticket = ticket_id
    IF event_timed_out THEN
      resolved_by = "knowledge base (no reply)"
    ELSE IF feedback.solved THEN
      resolved_by = "knowledge base"
    END IF
  END IF
END IF

IF resolved_by = "" THEN
  ' The customer's context travels to the agent's bot in shared memory.
  history = GET BOT MEMORY("customer:" + customer)
  IF ISEMPTY(history) THEN
    history = {"customer": customer, "tickets": []}
  END IF
  history.tickets = PUSH(history.tickets, {"ticket": ticket_id, "category": category, "question": question})
  SET BOT MEMORY "customer:" + customer, history
  BOT SHARE MEMORY "customer:" + customer WITH "support-agent"
  PUBLISH EVENT "support_escalated" WITH {"ticket": ticket_id, "category": category, "urgency": urgency, "to": first_line}
  SAVE "tickets", {"id": ticket_id, "status": "escalated"}
  TALK "A person from our team will take over."

  STEP 3: HUMAN APPROVAL FROM first_line
    TIMEOUT approval_timeout
    ON TIMEOUT: ESCALATE TO second_line

  IF approved THEN
    STEP 4: BOT "support-agent" "take over the case"
      RETRY crm_retries
    TALK agent_reply
    resolved_by = approver
  ELSE IF approval_status = "timeout" THEN
    resolved_by = "nobody"
    PUBLISH EVENT "support_unanswered" WITH {"ticket": ticket_id, "asked": [first_line, second_line]}
    TALK "Nobody could take ticket " + ticket_id + " in time; we will write to you by mail."
  ELSE
    resolved_by = "declined"
    TALK "Ticket " + ticket_id + " was closed: " + approval_comment
  END IF
END IF

STEP 5: BOT "support-survey" "ask how satisfied the customer is"
  DELAY followup_delay

SAVE "tickets", {"id": ticket_id, "status": "closed", "resolved_by": resolved_by, "rating": rating}
PUBLISH EVENT "support_closed" WITH {"ticket": ticket_id, "resolved_by": resolved_by, "rating": rating}
END WORKFLOW
