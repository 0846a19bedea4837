' Checks: SWITCH e ... CASE v[, v2] ... DEFAULT ... END SWITCH
FOR EACH cmd IN ["help", "exit", "dance"]
  SWITCH cmd
    CASE "help"
      TALK "showing help"
    CASE "quit", "exit"
      TALK "bye"
    DEFAULT
      TALK "unknown: " + cmd
  END SWITCH
NEXT
