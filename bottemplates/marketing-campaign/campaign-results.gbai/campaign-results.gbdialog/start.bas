' BOT "campaign-results" "pick the winner": the response rate of each variant (responses
' counted by the workflow from campaign_response events), the winner, and a short report
' written by the LLM (routed by report_model_goal; offline: the figures in a sentence). Each
' campaign's result is kept in bot memory (campaign:<id>), and the winners' tally too.
FUNCTION rate(responses, sent)
  IF sent = 0 THEN
    RETURN 0
  END IF
  RETURN ROUND(responses * 100 / sent, 1)
END FUNCTION

rate_a = rate(responses_a, sent_a)
rate_b = rate(responses_b, sent_b)
IF rate_a >= rate_b THEN
  winner = "A"
ELSE
  winner = "B"
END IF
FUNCTION tally(letter)
  wins = NVL(GET BOT MEMORY("wins:" + letter), 0) + 1
  SET BOT MEMORY "wins:" + letter, wins
  RETURN wins
END FUNCTION

FUNCTION written(figures)
  text = LLM "Summarise this A/B campaign result for the marketing team in two sentences: " + figures
    WITH OPTIMIZE FOR report_model_goal
    WITH TASK "summarize"
  IF text CONTAINS "[offline model]" THEN
    text = figures
  END IF
  RETURN text
END FUNCTION

report = "Variant A: " + responses_a + " responses from " + sent_a + " (" + rate_a + "%); variant B: " + responses_b + " from " + sent_b + " (" + rate_b + "%). Winner: " + winner + "."
report = written(report)
SET BOT MEMORY "campaign:" + campaign_id, #{winner: winner, rate_a: rate_a, rate_b: rate_b, responses_a: responses_a, responses_b: responses_b}
winner_wins = tally(winner)
TALK report
