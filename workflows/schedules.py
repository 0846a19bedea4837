"""``SET SCHEDULE`` in deployed bots: scheduled dialogs (``BotSchedule`` rows).

- Registration: when a package loads (``package_loaded``), every dialog with a top-level
  ``SET SCHEDULE "spec"`` (or the unquoted ``SET SCHEDULE every 1 hour``) gets one row per
  (dialog, schedule text); rows of dialogs that no longer have it are removed. A schedule text
  that cannot be read stores a problem naming it and never fires; it is also reported on the
  bot's problems as a warning at its line.
- Translation (``schedule_to_cron``): a five-field cron expression as is (``cronsim``
  evaluates it), or the word forms ``every N minutes|hours|days``, ``hourly``, ``daily [at
  8am|08:00]``, ``weekdays at 8am``, ``weekends``, ``weekly``, ``monthly``, ``every monday
  [and friday] at 9``, ``at noon`` ... Times are read in ``settings.TIME_ZONE``.
- Firing (``schedules_fire``, called by the timer tick ``workflows.sweep_timers`` — the
  workers' beat in full mode, the in-process timer thread in embedded mode): claims due rows
  with ``FOR UPDATE SKIP LOCKED``, moves ``next_run_at`` to the next cron time after now (so
  times missed while the platform was down fire once, not once each) and starts a run of the
  dialog through ``services.execution_start`` (the bot's organization, no user), in the same
  transaction: two workers never start the same due time twice.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from generalbots.basic import BasicSyntaxError, parse
from generalbots.basic import ast
from generalbots.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

FIRE_BATCH = 50


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


def cron_next(cron: str, *, after: datetime) -> datetime:
    """The first time ``cron`` matches strictly after ``after``, read in ``settings.TIME_ZONE``."""
    local = after.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0)
    return next(CronSim(cron, local)).astimezone(ZoneInfo("UTC"))


# ----------------------------------------------------------------------------- registration

def schedules_in_source(source: str, path: str = "<script>") -> list[tuple[int, str | None, str | None]]:
    """The top-level ``SET SCHEDULE`` statements of a dialog: (line, spec text, script name)
    each; spec is None when it is not a literal text. A dialog that does not parse has none
    (its syntax error is reported on the script already)."""
    try:
        program = parse(source, path)
    except BasicSyntaxError:
        return []
    found = []
    for stmt in program.body:
        if isinstance(stmt, ast.KeywordStmt) and stmt.keyword == "SET SCHEDULE":
            args = stmt.args
            spec = args[0].value if args and isinstance(args[0], ast.Literal) and isinstance(args[0].value, str) else None
            target = None
            if len(args) > 1 and isinstance(args[1], ast.Literal) and isinstance(args[1].value, str):
                target = args[1].value.strip().lower().removesuffix(".bas") or None
            found.append((stmt.line, spec, target))
    return found


def schedules_sync(*, bot, dialogs) -> list[dict]:
    """Make the bot's BotSchedule rows those of ``dialogs`` (name, path, source each); returns
    the problems (warnings at the statement's line) of the schedules that cannot fire."""
    from workflows.models import BotSchedule

    now = timezone.now()
    problems: list[dict] = []
    kept: list = []
    existing = {(s.script_name, s.schedule_text): s for s in BotSchedule.objects.filter(bot=bot)}
    for dialog in dialogs:
        for line, spec, target in schedules_in_source(dialog.source, dialog.path):
            script_name = target or dialog.name
            problem, cron = "", ""
            if spec is None:
                problem = (f"{dialog.path}:{line}: SET SCHEDULE needs a literal schedule text "
                           "(\"every 5 minutes\", \"0 8 * * 1-5\"): it is read when the package loads.")
            else:
                try:
                    cron = schedule_to_cron(spec)
                except ScheduleError as exc:
                    problem = f"{dialog.path}:{line}: {exc}"
            text = (spec or "")[:200]
            row = existing.get((script_name, text))
            if row is None:
                row = BotSchedule(bot=bot, script_name=script_name, schedule_text=text)
            if row.cron != cron or row.problem != problem or row.next_run_at is None and cron:
                row.cron, row.problem = cron, problem
                row.next_run_at = cron_next(cron, after=now) if cron else None
            row.source_path, row.line = dialog.path, line
            row.save()
            kept.append(row.pk)
            existing[(script_name, text)] = row
            if problem:
                problems.append({"path": dialog.path, "line": line, "col": 0, "severity": "warning",
                                 "message": problem.split(": ", 1)[1] if ": " in problem else problem})
    removed, _ = BotSchedule.objects.filter(bot=bot).exclude(pk__in=kept).delete()
    if removed:
        logger.info("Bot %s: %d schedule(s) removed (their dialogs no longer have SET SCHEDULE)", bot.name, removed)
    return problems


def schedules_on_package_loaded(*, sender, bot, package, status, **kwargs) -> list[dict]:
    """Receiver of ``generalbots.bots.signals.package_loaded``: register the package's
    scheduled dialogs (``schedules_sync``); returns the problems as warnings."""
    return schedules_sync(bot=bot, dialogs=package.dialogs)


# ----------------------------------------------------------------------------- firing

def schedules_fire(*, now: datetime | None = None, limit: int = FIRE_BATCH) -> int:
    """Start a run of every enabled schedule that is due at ``now`` (the current time by
    default); returns how many runs were started. Each due row is claimed (``SKIP LOCKED``),
    moved to its next time after ``now`` and started in one transaction."""
    from workflows import services
    from workflows.models import BotSchedule

    started = 0
    while True:
        at = now or timezone.now()
        with transaction.atomic():
            due = list(BotSchedule.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(enabled=True, problem="", next_run_at__lte=at, bot__is_active=True)
                       .select_related("bot").order_by("next_run_at")[:limit])
            for schedule in due:
                schedule.next_run_at = cron_next(schedule.cron, after=at)
                schedule.last_run_at = at
                try:
                    with transaction.atomic():
                        run = services.execution_start(bot=schedule.bot, script=schedule.script_name)
                except ApplicationError as exc:
                    schedule.last_error = exc.message[:1000]
                    logger.warning("Schedule %s of bot %s (%s.bas) could not start: %s", schedule.schedule_text,
                                   schedule.bot.name, schedule.script_name, exc.message)
                else:
                    schedule.last_execution, schedule.last_error = run, ""
                    started += 1
                schedule.save(update_fields=["next_run_at", "last_run_at", "last_execution", "last_error",
                                             "updated_at"])
        if len(due) < limit:
            return started
