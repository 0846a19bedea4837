"""SET SCHEDULE texts read as cron (generalbots.basic.schedule), and the checker's warning
about one that cannot be read (the platform would never fire it)."""

import pytest

from generalbots.basic import parse
from generalbots.basic.checker import check
from generalbots.basic.schedule import ScheduleError, schedule_to_cron


@pytest.mark.parametrize("text, cron", [
    ("0 8 * * 1-5", "0 8 * * 1-5"),
    ("*/15 * * * *", "*/15 * * * *"),
    ("0 6 * * mon-fri", "0 6 * * mon-fri"),
    ("@daily", "0 0 * * *"),
    ("every 5 minutes", "*/5 * * * *"),
    ("every minute", "* * * * *"),
    ("Every 1 hour", "0 * * * *"),
    ("every 2 hours", "0 */2 * * *"),
    ("hourly", "0 * * * *"),
    ("every 3 days", "0 0 */3 * *"),
    ("daily", "0 0 * * *"),
    ("daily at 8am", "0 8 * * *"),
    ("daily at 08:30", "30 8 * * *"),
    ("every day at 6:15 pm", "15 18 * * *"),
    ("at noon", "0 12 * * *"),
    ("daily at midnight", "0 0 * * *"),
    ("weekdays at 8am", "0 8 * * 1-5"),
    ("weekends at 10", "0 10 * * 0,6"),
    ("weekly", "0 0 * * 0"),
    ("monthly", "0 0 1 * *"),
    ("monthly on the 15th at 9am", "0 9 15 * *"),
    ("every monday at 9", "0 9 * * 1"),
    ("every monday and friday at 12pm", "0 12 * * 1,5"),
    ("on tuesdays at 7:45am", "45 7 * * 2"),
])
def test_schedule_texts_read_as_cron(text, cron):
    assert schedule_to_cron(text) == cron


@pytest.mark.parametrize("text, names", [
    ("", "needs a schedule"),
    ("sometimes", "'sometimes' is neither"),
    ("every 90 minutes", "1 to 59"),
    ("every 10 seconds", "once a minute"),
    ("daily at 25:00", "'25:00' is not a time"),
    ("daily at 13pm", "hours 1-12"),
    ("61 * * * *", "'61 * * * *' is neither a cron expression"),
    ("0 0 8 * * 1", "cron with seconds"),
])
def test_a_bad_schedule_text_is_an_error_naming_it(text, names):
    with pytest.raises(ScheduleError, match=names.replace("*", r"\*")):
        schedule_to_cron(text)


def test_the_checker_warns_about_a_schedule_it_cannot_read_and_not_about_the_others():
    source = 'SET SCHEDULE "whenever it rains"\nSET SCHEDULE every 1 hour\nSET SCHEDULE "0 6 * * *" "jobs.bas"\n'

    found = [(d.line, d.severity, d.message) for d in check(parse(source))]

    assert found == [(1, "warning", "SET SCHEDULE 'whenever it rains' is neither a cron expression nor a schedule "
                                    "in words (every 5 minutes, daily at 8am, weekdays at 9, every monday at 9, "
                                    "0 8 * * 1-5).")]
