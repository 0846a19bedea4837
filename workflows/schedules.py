"""``SET SCHEDULE`` in deployed bots: scheduled dialogs (``BotSchedule`` rows).

- Registration: when a package loads (``package_loaded``), every dialog with a top-level
  ``SET SCHEDULE "spec"`` (or the unquoted ``SET SCHEDULE every 1 hour``) gets one row per
  (dialog, schedule text); rows of dialogs that no longer have it are removed. A schedule text
  that cannot be read stores a problem naming it and never fires; it is also on the bot's
  problems as a warning at its line (the checker's, as ``gb check`` shows it).
- Translation (``generalbots.basic.schedule.schedule_to_cron``, shared with ``gb check``): a
  five-field cron expression as is (``cronsim`` evaluates it), or the word forms ``every N minutes|hours|days``, ``hourly``, ``daily [at
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
from datetime import datetime
from zoneinfo import ZoneInfo

from cronsim import CronSim
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from generalbots.basic import BasicSyntaxError, parse
from generalbots.basic import ast
from generalbots.basic.schedule import ScheduleError, schedule_to_cron
from generalbots.core.exceptions import ApplicationError
from workflows import services
from workflows.models import BotSchedule

logger = logging.getLogger(__name__)

FIRE_BATCH = 50


def cron_next(cron: str, *, after: datetime) -> datetime:
    """The first time ``cron`` matches strictly after ``after``, read in ``settings.TIME_ZONE``."""
    local = after.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0)
    return next(CronSim(cron, local)).astimezone(ZoneInfo("UTC"))


# ----------------------------------------------------------------------------- registration

def schedules_in_source(source: str, path: str = "<script>") -> list[tuple[int, str | None, str | None]]:
    """The top-level ``SET SCHEDULE`` statements of a dialog: (line, spec text, script name)
    each; spec is None when it is not a literal text. A dialog that does not parse has none
    (its syntax error is reported on the script already). Only a dialog whose text names
    SCHEDULE is parsed (the package's own check parsed every dialog already)."""
    if "schedule" not in source.lower():
        return []
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
    the problems the checker does not report (a schedule that is not a literal text) as
    warnings at the statement's line; a text that cannot be read is the checker's warning."""
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
            if spec is None:  # a text that cannot be read is the checker's warning on the script already
                problems.append({"path": dialog.path, "line": line, "col": 0, "severity": "warning",
                                 "message": problem.split(": ", 1)[1]})
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
    started = 0
    while True:
        at = now or timezone.now()
        with transaction.atomic():
            rows = BotSchedule.objects.all()
            if connection.features.has_select_for_update_skip_locked:  # SQLite (embedded): one writer anyway
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            due = list(rows.filter(enabled=True, problem="", next_run_at__lte=at, bot__is_active=True)
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
