' BOT "support-triage": the category and urgency of the customer's question. The model is
' asked for JSON; an answer in any other shape (the offline model, a chatty model) falls back
' to keyword rules. Sets category, urgency, triage_by and needs_person.
categories = ["billing", "account", "shipping", "technical", "complaint", "general"]

' The first category whose words occur in the text, else "general".
FUNCTION rules_category(text)
  rules = [["billing", ["invoice", "charged", "refund", "payment", "bill"]],
           ["account", ["password", "login", "log in", "account", "sign in"]],
           ["shipping", ["delivery", "shipping", "parcel", "tracking", "arrive"]],
           ["technical", ["error", "crash", "broken", "not working", "bug"]],
           ["complaint", ["terrible", "worst", "unacceptable", "complaint", "lawyer"]]]
  FOR EACH rule IN rules
    FOR EACH word IN rule[1]
      IF text CONTAINS word THEN
        RETURN rule[0]
      END IF
    NEXT
  NEXT
  RETURN "general"
END FUNCTION

' "high" when the text says it cannot wait, else "normal".
FUNCTION rules_urgency(text)
  FOR EACH word IN ["urgent", "asap", "immediately", "lawyer", "today"]
    IF text CONTAINS word THEN
      RETURN "high"
    END IF
  NEXT
  RETURN "normal"
END FUNCTION

' The model's verdict when it answered JSON with a known category, else NULL.
FUNCTION model_verdict(answer)
  verdict = NULL
  IF LEFT(TRIM(answer), 1) = "{" THEN
    ON ERROR RESUME NEXT
    verdict = JSON(answer)
    ON ERROR GOTO 0
  END IF
  IF CONTAINS(categories, LCASE(verdict.category ?? "")) THEN
    RETURN {"category": LCASE(verdict.category), "urgency": IIF(LCASE(verdict.urgency ?? "") = "high", "high", "normal")}
  END IF
  RETURN NULL
END FUNCTION

answer = LLM "Classify this customer message. Answer only with JSON like " +
  "{\"category\": \"billing|account|shipping|technical|complaint|general\", \"urgency\": \"low|normal|high\"}. " +
  "Message: " + question
  WITH OPTIMIZE FOR triage_goal
  WITH TASK "classify"
verdict = model_verdict(answer)

IF NOT ISEMPTY(verdict) THEN
  category = verdict.category
  urgency = verdict.urgency
  triage_by = "model"
ELSE
  category = rules_category(LCASE(question))
  urgency = rules_urgency(LCASE(question))
  triage_by = "rules"
END IF

needs_person = urgency = "high" OR CONTAINS(SPLIT(person_categories, ","), category)
TALK "Triage: " + category + ", " + urgency + " urgency (by " + triage_by + ")."
