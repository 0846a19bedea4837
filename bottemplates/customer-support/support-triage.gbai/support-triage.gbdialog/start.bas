' BOT "support-triage": the category and urgency of the customer's question. The model is
' asked for JSON; an answer in any other shape (the offline model, a chatty model) falls back
' to keyword rules. Sets category, urgency, triage_by and needs_person.
categories = ["billing", "account", "shipping", "technical", "complaint", "general"]
answer = LLM "Classify this customer message. Answer only with JSON like " +
  "{\"category\": \"billing|account|shipping|technical|complaint|general\", \"urgency\": \"low|normal|high\"}. " +
  "Message: " + question
  WITH OPTIMIZE FOR triage_goal
  WITH TASK "classify"

verdict = NULL
IF LEFT(TRIM(answer), 1) = "{" THEN
  ON ERROR RESUME NEXT
  verdict = JSON(answer)
  ON ERROR GOTO 0
END IF

IF NOT ISEMPTY(verdict.category) AND CONTAINS(categories, LCASE(verdict.category)) THEN
  category = LCASE(verdict.category)
  urgency = LCASE(verdict.urgency ?? "normal")
  triage_by = "model"
ELSE
  category = "general"
  text = LCASE(question)
  rules = [["billing", ["invoice", "charged", "refund", "payment", "bill"]],
           ["account", ["password", "login", "log in", "account", "sign in"]],
           ["shipping", ["delivery", "shipping", "parcel", "tracking", "arrive"]],
           ["technical", ["error", "crash", "broken", "not working", "bug"]],
           ["complaint", ["terrible", "worst", "unacceptable", "complaint", "lawyer"]]]
  FOR EACH rule IN rules
    FOR EACH word IN rule[1]
      IF category = "general" AND text CONTAINS word THEN
        category = rule[0]
      END IF
    NEXT
  NEXT
  urgency = "normal"
  FOR EACH word IN ["urgent", "asap", "immediately", "lawyer", "today"]
    IF text CONTAINS word THEN
      urgency = "high"
    END IF
  NEXT
  triage_by = "rules"
END IF

needs_person = urgency = "high" OR CONTAINS(SPLIT(person_categories, ","), category)
TALK "Triage: " + category + ", " + urgency + " urgency (by " + triage_by + ")."
