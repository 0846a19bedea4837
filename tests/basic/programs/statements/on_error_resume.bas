' Checks: ON ERROR RESUME NEXT inside a SUB: failing statements are logged and skipped, THROW too
SUB Risky(d)
  ON ERROR RESUME NEXT
  r = 10 / d
  TALK "r=" + r
  THROW "custom " + d
  TALK "end of Risky"
END SUB
Risky(0)
Risky(5)
