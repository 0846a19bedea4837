SET SCHEDULE "every 5 minutes"

now = NOW()
reminders = FIND "reminders", "when<=" + FORMAT(now, "YYYY-MM-DD HH:mm")
FOR EACH r IN reminders
    IF r.sent = FALSE THEN
        TALK TO r.mobile, "Reminder: " + r.subject
        UPDATE "reminders", "id=" + r.id, #{sent: TRUE}
    END IF
END FOR
