TALK "before"
SUB Stop()
  TALK "stopping"
  EXIT
END SUB
Stop()
TALK "after"
