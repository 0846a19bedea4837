"""``SET SCHEDULE`` text -> a five-field cron expression (pure Python; ``cronsim`` checks the
cron). Shared by the checker (``gb check`` warns about a text it cannot read) and the
platform's scheduled dialogs (``workflows.schedules``).

Cron expressions are taken as is (``0 8 * * 1-5``, ``*/15 * * * *``, ``@daily``); the word forms
are ``every N minutes|hours|days``, ``every minute``, ``hourly``, ``daily [at 8am|08:30|noon]``,
``weekdays at 8am``, ``weekends``, ``weekly``, ``monthly [on the 15th]``, ``every monday [and
friday] at 9``, ``on tuesdays at 7:45am``. Schedules run at most once a minute.
"""

from __future__ import annotations

import re
from datetime import datetime

from cronsim import CronSim, CronSimError

__all__ = ["ScheduleError", "schedule_to_cron"]


class ScheduleError(ValueError):
    """A schedule text that cannot be read; the message names it."""


# ----------------------------------------------------------------------------- translation

DAYS = {"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
        "sun": 0, "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6}
ALIASES = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
           "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"}
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?$")
_EVERY = re.compile(r"^every\s+(?:(?P<n>\d+)\s+)?(?P<unit>minute|min|hour|hr|day|second|sec)s?$")
_AT = re.compile(r"^(?P<head>.*?)\s*\bat\s+(?P<time>.+)$")
_ORDINAL = re.compile(r"^(?:on\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?$")


def _time(text: str, spec: str) -> tuple[int, int]:
    text = text.strip()
    if text in ("noon", "midday"):
        return 12, 0
    if text == "midnight":
        return 0, 0
    match = _TIME.match(text)
    if not match:
        raise ScheduleError(f"SET SCHEDULE {spec!r}: cannot read the time {text!r} (write 8am, 8:30pm or 08:00).")
    hour, minute, ampm = int(match["h"]), int(match["m"] or 0), (match["ap"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"SET SCHEDULE {spec!r}: {text!r} is not a time (hours 1-12 with am/pm).")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"SET SCHEDULE {spec!r}: {text!r} is not a time of day.")
    return hour, minute


def _days(text: str) -> str | None:
    """``monday and friday`` / ``mon, wed`` / ``mondays`` -> ``1,5``; None when not days."""
    words = [w for w in re.split(r"[\s,]+|\band\b", text) if w]
    if not words:
        return None
    numbers = []
    for word in words:
        day = DAYS.get(word) if word in DAYS else DAYS.get(word.removesuffix("s"))
        if day is None:
            return None
        numbers.append(day)
    return ",".join(str(n) for n in sorted(set(numbers)))


def _cron_check(cron: str, spec: str) -> str:
    try:
        CronSim(cron, datetime(2000, 1, 1))
    except (CronSimError, ValueError) as exc:
        raise ScheduleError(f"SET SCHEDULE {spec!r} is neither a cron expression nor a schedule in words "
                            f"(every 5 minutes, daily at 8am, weekdays at 9, 0 8 * * 1-5): {exc}") from None
    return cron


def schedule_to_cron(spec: str) -> str:
    """The five-field cron expression of a ``SET SCHEDULE`` text; ScheduleError naming it when
    it cannot be read."""
    original = spec
    text = " ".join(str(spec).strip().lower().split())
    if not text:
        raise ScheduleError("SET SCHEDULE needs a schedule: a cron expression or words such as \"every 5 minutes\".")
    if text in ALIASES:
        return ALIASES[text]
    if re.match(r"^[\d*/,\-?a-z]+(\s+[\d*/,\-?a-z#lw]+){4}$", text) and re.match(r"^[\d*]", text):
        return _cron_check(text, original)
    if len(text.split()) == 6 and re.match(r"^[\d*]", text):
        raise ScheduleError(f"SET SCHEDULE {original!r}: cron with seconds is not supported; schedules run at most "
                            "once a minute (use five fields: minute hour day month weekday).")
    hour = minute = 0
    timed = False
    match = _AT.match(text)
    if match:
        hour, minute = _time(match["time"], original)
        text, timed = match["head"].strip(), True
    text = text.removeprefix("every ").strip() if text.startswith("every ") and not _EVERY.match(text) else text
    if text in ("", "day", "daily", "everyday", "each day", "midnight"):
        if text == "midnight":
            timed = True
        return f"{minute} {hour} * * *"
    if text in ("noon", "midday"):
        return "0 12 * * *"
    if text in ("weekday", "weekdays", "on weekdays", "workdays", "business days"):
        return f"{minute} {hour} * * 1-5"
    if text in ("weekend", "weekends", "on weekends"):
        return f"{minute} {hour} * * 0,6"
    if text in ("week", "weekly"):
        return f"{minute} {hour} * * 0"
    if text in ("month", "monthly"):
        return f"{minute} {hour} 1 * *"
    if text in ("hour", "hourly"):
        if timed:
            raise ScheduleError(f"SET SCHEDULE {original!r}: an hourly schedule has no time of day.")
        return "0 * * * *"
    if text in ("minute",):
        return "* * * * *"
    monthly = re.match(r"^monthly\s+(?P<rest>.+)$", text)
    if monthly:
        day = _ORDINAL.match(monthly["rest"])
        if day and 1 <= int(day["d"]) <= 31:
            return f"{minute} {hour} {int(day['d'])} * *"
    weekly = re.match(r"^(?:weekly\s+)?(?:on\s+)?(?P<days>.+)$", text)
    days = _days(weekly["days"]) if weekly else None
    if days is not None:
        return f"{minute} {hour} * * {days}"
    every = _EVERY.match(text if text.startswith("every ") else f"every {text}")
    if every:
        n, unit = int(every["n"] or 1), every["unit"]
        if unit in ("second", "sec"):
            raise ScheduleError(f"SET SCHEDULE {original!r}: schedules run at most once a minute.")
        if unit in ("minute", "min"):
            if timed or not 1 <= n <= 59:
                raise ScheduleError(f"SET SCHEDULE {original!r}: every N minutes takes N from 1 to 59.")
            return "* * * * *" if n == 1 else f"*/{n} * * * *"
        if unit in ("hour", "hr"):
            if timed or not 1 <= n <= 23:
                raise ScheduleError(f"SET SCHEDULE {original!r}: every N hours takes N from 1 to 23.")
            return "0 * * * *" if n == 1 else f"0 */{n} * * *"
        if not 1 <= n <= 31:
            raise ScheduleError(f"SET SCHEDULE {original!r}: every N days takes N from 1 to 31.")
        return f"{minute} {hour} * * *" if n == 1 else f"{minute} {hour} */{n} * *"
    raise ScheduleError(f"SET SCHEDULE {original!r} is neither a cron expression nor a schedule in words "
                        "(every 5 minutes, daily at 8am, weekdays at 9, every monday at 9, 0 8 * * 1-5).")
