' ON FORM SUBMIT "name" ... END ON registers a handler (run when the form is posted while the
' run waits: tests/basic/test_section8.py); the script goes on past it
ON FORM SUBMIT "landing-page"
  TALK "New lead: " + fields.email
  SAVE "leads", fields
END ON
TALK "waiting for the form"
HEAR done
TALK "bye " + done
