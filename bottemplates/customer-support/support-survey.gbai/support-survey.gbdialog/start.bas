' BOT "support-survey": the satisfaction follow-up (the workflow starts it after its DELAY).
' The rating comes as the event support_survey {"ticket", "rating": 1-5}; no answer within
' survey_timeout seconds leaves rating NULL. Ratings are kept in this bot's memory.
TALK "How satisfied are you with how we handled ticket " + ticket_id + "? Rate us from 1 to 5."
survey = WAIT FOR EVENT "support_survey" TIMEOUT survey_timeout WHERE ticket = ticket_id
IF event_timed_out THEN
  rating = NULL
  TALK "No rating for ticket " + ticket_id + "."
ELSE
  rating = MAX(1, MIN(5, VAL(survey.rating)))
  stats = GET BOT MEMORY("ratings")
  IF ISEMPTY(stats) THEN
    stats = {"count": 0, "total": 0}
  END IF
  stats.count = stats.count + 1
  stats.total = stats.total + rating
  SET BOT MEMORY "ratings", stats
  TALK "Ticket " + ticket_id + " rated " + rating + "; average " + ROUND(stats.total / stats.count, 2) + "."
END IF
