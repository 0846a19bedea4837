"""The event bus (DESIGN §4 "Events", BASIC.md §5): PUBLISH EVENT, WAIT FOR EVENT, ON EVENT.

Guarantees:

- **Durable.** An event is a ``workflow_events`` row; a run that takes it (a ``WAIT FOR EVENT``
  or an ``ON EVENT`` handler) records a ``workflow_event_consumptions`` row, unique per
  (event, run), in the transaction of the slice that used it — so each run takes each event at
  most once, and a slice undone by a crash undoes its consumption too.
- **Mailbox.** A run's mailbox is every event of its bot's organization created at or after the
  run itself, not yet consumed by it, oldest (lowest id) first. An event published just before
  a run reaches its ``WAIT FOR EVENT`` is therefore found there, not missed. Events never cross
  organizations.
- **Waking is decided from rows.** After ``event_publish`` commits, the runs of the
  organization waiting for that name (or with a handler for it) are looked up and each gets a
  slice enqueued. After a slice commits a run that waits on an event or has handlers, its
  mailbox is checked once more (``run_suspended``): whichever of the two commits last sees the
  other, so no wake-up is lost between them. Redis messages are hints: ``due_event_ids`` (the
  sweeper) finds every waiting run with a matching event left in its mailbox.
- **Handlers** run at the owner's suspension points, one at a time (``VM.deliver_event``);
  when a name is both waited for and handled, the wait takes the event.

Choices where the issue was silent: the mailbox starts at the run's ``created_at`` (no extra
column or query on the engine's hot path; clocks as for timers); a timed-out wait ignores events
created after its deadline; ``WHERE`` compares JSON values (numbers by value, text exactly) and
``a.b = v`` looks inside nested objects.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from generalbots.basic import WaitKind, waiting_for
from generalbots.basic.host import wait_deadline
from generalbots.basic.values import to_json_text
from generalbots.core.json_values import json_value_problem
from generalbots.core.exceptions import ApplicationError
from generalbots.core.realtime import publish
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowEventConsumption, WorkflowExecution

logger = logging.getLogger(__name__)

NAME_MAX = 100
_NAME = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")
ALL_EVENTS_GROUP = "events.all"
MAX_DATA_BYTES = 256_000
SCAN_LIMIT = 2000  # mailbox rows looked at per wake-up when WHERE is matched in Python


def org_group(organization_id) -> str:
    return f"events.org.{organization_id}"


# ------------------------------------------------------------------------------- values
def event_name_check(name: Any) -> str:
    """``name`` if it is a valid event name, else ApplicationError naming it."""
    text = name if isinstance(name, str) else str(name)
    if not _NAME.fullmatch(text):  # fullmatch: "$" would let a trailing newline through
        shown = text if len(text) <= 120 else text[:117] + "..."
        raise ApplicationError(
            f"Not an event name: {shown!r}. Use 1 to {NAME_MAX} letters, digits and _ . : - (no spaces).",
            code="workflows.bad_event_name", extra={"name": shown})
    return text


def plain(value: Any) -> Any:
    """A BASIC value as plain JSON (numbers stay numbers, dates become ISO text)."""
    return json.loads(to_json_text(value))


def where_spec(where: dict | None) -> dict | None:
    """``{"order.id": 7, "kind": "x"}`` -> ``{"order": {"id": 7}, "kind": "x"}`` (plain JSON)."""
    if not where:
        return None
    out: dict = {}
    for key, value in where.items():
        parts = str(key).split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ApplicationError(f"WHERE uses {key!r} both as a value and as an object.",
                                       code="workflows.bad_event_where")
        node[parts[-1]] = plain(value)
    return out


def data_matches(data: Any, where: dict | None) -> bool:
    """Whether event ``data`` contains every field of ``where`` (as JSON containment does)."""
    if not where:
        return True
    if not isinstance(data, dict):
        return False
    for key, want in where.items():
        if key not in data:
            return False
        have = data[key]
        if isinstance(want, dict):
            if not data_matches(have, want):
                return False
        elif isinstance(want, bool) or isinstance(have, bool):
            if type(want) is not type(have) or want != have:
                return False
        elif want != have:
            return False
    return True


def event_summary(event: WorkflowEvent) -> dict:
    """What dashboards and the API show of an event (plain JSON)."""
    return {
        "id": event.pk, "name": event.event_name, "data": event.event_data,
        "organization": event.organization.slug if event.organization_id else None,
        "source_bot": event.source_bot.name if event.source_bot_id else None,
        "published_by": event.published_by.get_username() if event.published_by_id else None,
        "workflow": str(event.workflow_id) if event.workflow_id else None,
        "created_at": event.created_at.isoformat() if event.created_at else None,
    }


# ------------------------------------------------------------------------------- publish
def event_publish(*, organization, name: Any, data: Any = None, source_bot=None, workflow=None,
                  published_by=None) -> WorkflowEvent:
    """Store one event of ``organization``; once it commits, broadcast it (``workflow.event``
    on the organization's channel group) and wake every run of that organization waiting for
    ``name`` or handling it. ``published_by`` is the user it is attributed to (the API or admin
    user; for a script, the user of its conversation or who started its workflow), or None.
    A bad name or data is an ApplicationError naming the problem."""
    name = event_name_check(name)
    data = {} if data is None else plain(data)
    problem = json_value_problem(data)  # the same rule as the API's: nothing jsonb cannot hold
    if problem:
        raise ApplicationError(f"The data of event {name!r} cannot be stored: {problem}.",
                               code="workflows.bad_event_data", extra={"name": name})
    if len(json.dumps(data)) > MAX_DATA_BYTES:
        raise ApplicationError(f"The data of event {name!r} is larger than {MAX_DATA_BYTES} bytes.",
                               code="workflows.event_too_large", extra={"name": name})
    if getattr(published_by, "pk", None) is None:  # nobody, or an anonymous user
        published_by = None
    event = WorkflowEvent.objects.create(
        organization=organization, event_name=name, event_data=data, source_bot=source_bot,
        workflow_id=getattr(workflow, "pk", workflow), published_by=published_by)
    org_id, event_id = organization.pk, event.pk
    # waking first: the broadcast to dashboards must not delay the runs
    transaction.on_commit(lambda: wake_waiters(organization_id=org_id, name=name, data=data, event_id=event_id))
    summary = event_summary(event)
    for group in (org_group(organization.pk), ALL_EVENTS_GROUP):
        publish(group=group, type="workflow.event", data=summary)
    return event


def waiter_ids(*, organization_id, name: str, data: Any) -> list:
    """Waiting runs of the organization that ``name``/``data`` may wake: waiting for the name
    with a matching WHERE, or with an ON EVENT handler for it."""
    waiting = WorkflowExecution.objects.filter(status=ExecutionStatus.WAITING, bot__organization_id=organization_id)
    if connection.vendor == "postgresql":
        qs = waiting.filter(Q(waiting_for=waiting_for(WaitKind.EVENT, name)) | Q(wait__events__contains=[name]))
    else:
        qs = waiting.filter(Q(waiting_for=waiting_for(WaitKind.EVENT, name)) | Q(wait__has_key="events"))
    ids = []
    for pk, wait in qs.values_list("pk", "wait"):
        wait = wait or {}
        if name in (wait.get("events") or []):
            ids.append(pk)
        elif wait.get("kind") == WaitKind.EVENT and wait.get("name") == name and data_matches(data, wait.get("where")):
            ids.append(pk)
    return ids


def wake_waiters(*, organization_id, name: str, data: Any, event_id=None) -> int:
    """Enqueue a slice for each run ``waiter_ids`` finds (after the event committed). A broker
    that is down is logged, not raised: the sweeper wakes those runs later."""
    try:
        ids = waiter_ids(organization_id=organization_id, name=name, data=data)
    except Exception:
        logger.exception("Could not look up the runs waiting for event %s", name)
        return 0
    return send_slices(ids)


def send_slices(ids) -> int:
    """Enqueue a slice for each run at once (outside any transaction), ``GB_SLICE_BATCH`` runs
    per message (``engine.enqueue_slices``); returns how many runs were sent, stopping at the
    first failure (the sweeper wakes the rest)."""
    if not ids:
        return 0
    from workflows.engine import enqueue_slices, slice_messages

    if settings.GB_INPROCESS_WORKER:
        enqueue_slices(ids)
        return len(ids)
    sent = 0
    try:
        for task, args in slice_messages(ids):
            task.apply_async(args=args, retry=False)
            sent += len(args[0]) if isinstance(args[0], list) else 1
    except Exception as exc:
        logger.warning("Could not enqueue %d run(s) for an event (%s); the sweeper will wake them",
                       len(ids) - sent, exc)
    return sent


# ------------------------------------------------------------------------------- mailbox
def mailbox(run: WorkflowExecution) -> QuerySet[WorkflowEvent]:
    """Events of the run's organization created since the run started and not consumed by it."""
    since = run.created_at or timezone.now()
    taken = WorkflowEventConsumption.objects.filter(event_id=OuterRef("pk"), execution_id=run.pk)
    return (WorkflowEvent.objects.filter(organization_id=run.bot.organization_id, created_at__gte=since)
            .filter(~Exists(taken)).order_by("id"))


@dataclass
class Taken:
    event: WorkflowEvent
    kind: str


def mailbox_take(run: WorkflowExecution, *, name: str | None, where: dict | None = None,
                 handlers=(), until: datetime | None = None) -> Taken | None:
    """Consume the oldest mailbox event that the wait (``name`` + ``where``, created no later
    than ``until``) or a handler (``handlers``) takes; the caller holds the run's lock and its
    transaction commits the consumption with the new state."""
    handlers = [h for h in handlers if h != name]
    if not name and not handlers:
        return None
    pg = connection.vendor == "postgresql"
    if pg and not _has_list(where):
        return _take_sql(run, name=name, where=where, handlers=handlers, until=until)
    wanted = Q()
    if name:
        cond = Q(event_name=name)
        if where and pg:
            cond &= Q(event_data__contains=where)
        if until is not None:
            cond &= Q(created_at__lte=until)
        wanted |= cond
    if handlers:
        wanted |= Q(event_name__in=handlers)
    qs = mailbox(run).filter(wanted).only("id", "event_name", "event_data", "created_at")
    for event in qs[:SCAN_LIMIT] if where else qs[:1]:  # WHERE matched here: @> may pass a list's superset
        if event.event_name == name and data_matches(event.event_data, where) \
                and (until is None or event.created_at <= until):
            kind = WorkflowEventConsumption.Kind.WAIT
        elif event.event_name in handlers:
            kind = WorkflowEventConsumption.Kind.HANDLER
        else:
            continue
        WorkflowEventConsumption.objects.create(event_id=event.pk, execution_id=run.pk, kind=kind)
        return Taken(event, kind)
    return None


# The wake-up of one event in one round trip (what ``mailbox_take`` does with the ORM in three:
# compile and run the SELECT, then the INSERT): the oldest event of the mailbox that the wait or a
# handler takes, its consumption inserted by the same statement.
_TAKE_SQL = """
WITH picked AS (
  SELECT e.id, e.event_name, e.event_data::text AS data, e.created_at,
         COALESCE(e.event_name = %(name)s AND (%(where)s::jsonb IS NULL OR e.event_data @> %(where)s::jsonb)
                  AND (%(until)s::timestamptz IS NULL OR e.created_at <= %(until)s), false) AS waited
  FROM workflow_events e
  WHERE e.organization_id = %(org)s AND e.created_at >= %(since)s
    AND ((e.event_name = %(name)s AND (%(where)s::jsonb IS NULL OR e.event_data @> %(where)s::jsonb)
          AND (%(until)s::timestamptz IS NULL OR e.created_at <= %(until)s))
         OR e.event_name = ANY(%(handlers)s::text[]))
    AND NOT EXISTS (SELECT 1 FROM workflow_event_consumptions c WHERE c.event_id = e.id AND c.execution_id = %(run)s)
  ORDER BY e.id LIMIT 1),
taken AS (
  INSERT INTO workflow_event_consumptions (event_id, execution_id, kind, consumed_at)
  SELECT id, %(run)s, CASE WHEN waited THEN 'wait' ELSE 'handler' END, %(now)s FROM picked)
SELECT id, event_name, data, created_at, waited FROM picked
"""


def _has_list(where) -> bool:
    """Whether a WHERE tree holds a list: JSON containment (``@>``) matches a list by its
    members, ``data_matches`` only by equality, so such a wait keeps the ORM path."""
    if isinstance(where, dict):
        return any(_has_list(v) for v in where.values())
    return isinstance(where, list)


def _take_sql(run: WorkflowExecution, *, name, where, handlers, until) -> Taken | None:
    """``mailbox_take`` on PostgreSQL for a WHERE without lists, in one statement (``_TAKE_SQL``)."""
    params = {"name": name, "where": json.dumps(where) if where else None, "until": until,
              "org": run.bot.organization_id, "since": run.created_at or timezone.now(),
              "handlers": list(handlers), "run": run.pk, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, event_name, data, created_at, waited = row
    event = WorkflowEvent(id=pk, organization_id=params["org"], event_name=event_name, event_data=json.loads(data),
                          created_at=created_at)
    return Taken(event, WorkflowEventConsumption.Kind.WAIT if waited else WorkflowEventConsumption.Kind.HANDLER)


@dataclass
class TakeRequest:
    """What a waiting run's wake-up takes from its mailbox at ``now``: the waited-for ``name``
    (with ``where``, events created no later than ``until`` once its deadline passed) or a
    ``handlers`` event; ``due``: the deadline passed."""

    name: str | None
    where: dict | None
    handlers: list
    until: datetime | None
    due: bool

    @classmethod
    def of(cls, wait: dict, now: datetime) -> TakeRequest:
        name = wait.get("name") if wait.get("kind") == WaitKind.EVENT else None
        deadline = wait_deadline(wait) if name else None
        due = deadline is not None and deadline <= now
        handlers = [h for h in wait.get("events") or () if h != name]
        return cls(name, wait.get("where"), handlers, deadline if due else None, due)

    def in_one_statement(self) -> bool:
        """Whether the one-statement take (``_TAKE_SQL``, ``engine.batches``) does this take."""
        return connection.vendor == "postgresql" and not _has_list(self.where) and bool(self.name or self.handlers)


NOT_TAKEN = object()  # event_wake's ``taken`` when the caller did not take for the run


def event_wake(run: WorkflowExecution, wait: dict, ctx, *, taken=NOT_TAKEN):
    """The engine's wake-up of a waiting run from its mailbox (called with the run locked):
    the waited-for event, else an event for a handler (the run is continued afterwards, to
    drain its mailbox one handler at a time), else a timeout once the deadline passed; None
    when nothing is due. ``taken``: what a batch of slices already took for this run, in its
    transaction, for ``TakeRequest.of(wait, ctx.now)`` (``engine.batches``; a Taken or None)."""
    from workflows.engine.core import Wake, WakeMode  # function-local: the engine imports this module

    request = TakeRequest.of(wait, ctx.now)
    due = request.due
    if taken is NOT_TAKEN:
        taken = mailbox_take(run, name=request.name, where=request.where, handlers=request.handlers,
                             until=request.until)
    if taken is not None:
        if taken.kind == WorkflowEventConsumption.Kind.WAIT:
            return Wake(WakeMode.RESUME, {"timed_out": False, "data": taken.event.event_data})
        ctx.continue_ids.append(run.pk)
        return Wake(WakeMode.EVENT, (taken.event.event_name, taken.event.event_data))
    if due:
        return Wake(WakeMode.RESUME, {"timed_out": True, "data": None})
    return None


def run_suspended(run: WorkflowExecution, wait: dict) -> None:
    """Called when a slice leaves ``run`` waiting: once that commits, look in its mailbox again
    and enqueue a slice if an event it waits for or handles is there (an event committed while
    the slice ran found no waiting run to wake)."""
    if not (wait.get("kind") == WaitKind.EVENT or wait.get("events")):
        return

    def recheck() -> None:
        try:
            if mailbox_has(run, wait):
                send_slices([run.pk])
        except Exception:
            logger.exception("Could not check the mailbox of run %s", run.pk)

    transaction.on_commit(recheck)


def mailbox_has(run: WorkflowExecution, wait: dict) -> bool:
    """Whether ``run``'s mailbox holds an event its ``wait`` or handlers would take (reads only)."""
    name = wait.get("name") if wait.get("kind") == WaitKind.EVENT else None
    where = wait.get("where")
    handlers = list(wait.get("events") or [])
    if handlers and mailbox(run).filter(event_name__in=handlers).exists():
        return True
    if not name:
        return False
    qs = mailbox(run).filter(event_name=name)
    if connection.vendor == "postgresql":
        return (qs.filter(event_data__contains=where) if where else qs).exists()
    return any(data_matches(d, where) for d in qs.values_list("event_data", flat=True)[:SCAN_LIMIT])


# ------------------------------------------------------------------------------- sweeper
_DUE_SQL = """
SELECT r.id FROM workflow_executions r JOIN bots b ON b.id = r.bot_id
WHERE r.status = 'waiting' AND r.updated_at <= %s
  AND (r.waiting_for LIKE 'event:%%' OR r.wait ? 'events')
  AND EXISTS (
    SELECT 1 FROM workflow_events e
    WHERE e.organization_id = b.organization_id AND e.created_at >= r.created_at
      AND ((r.waiting_for = 'event:' || e.event_name
            AND (jsonb_typeof(r.wait -> 'where') IS DISTINCT FROM 'object' OR e.event_data @> (r.wait -> 'where')))
           OR COALESCE(r.wait -> 'events', '[]'::jsonb) ? e.event_name)
      AND NOT EXISTS (SELECT 1 FROM workflow_event_consumptions c WHERE c.event_id = e.id AND c.execution_id = r.id))
LIMIT %s
"""


def due_event_ids(*, grace: datetime, limit: int = 500) -> set:
    """Waiting runs (unchanged since ``grace``) with an event in their mailbox that their wait or
    a handler would take: the wake-ups a lost message left behind."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_DUE_SQL, [grace, limit])
            return {row[0] for row in cursor.fetchall()}
    ids: set = set()
    runs = (WorkflowExecution.objects.select_related("bot").filter(status=ExecutionStatus.WAITING, updated_at__lte=grace)
            .filter(Q(waiting_for__startswith=f"{WaitKind.EVENT}:") | Q(wait__has_key="events")))
    for run in runs[:limit * 4]:
        if mailbox_has(run, run.wait or {}):
            ids.add(run.pk)
            if len(ids) >= limit:
                break
    return ids


# ------------------------------------------------------------------------------- selectors
def organizations_visible_to(*, user, operate: bool = False):
    """Organizations whose events ``user`` may read (``operate``: publish): superusers all;
    others those of the bots granted to them."""
    from generalbots.bots.selectors import bots_visible_to
    from generalbots.core.models import Organization

    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=bots_visible_to(user=user, operate=operate).values("organization_id"))


def event_list(*, user, filters: dict | None = None) -> QuerySet[WorkflowEvent]:
    """Events of the organizations ``user`` may read, newest first. ``filters``: name, bot
    (source bot name), organization (slug), workflow (run id), after_id, since / until (datetimes)."""
    filters = filters or {}
    qs = (WorkflowEvent.objects.filter(organization__in=organizations_visible_to(user=user))
          .select_related("organization", "source_bot", "published_by").order_by("-id"))
    lookups = {"name": "event_name", "bot": "source_bot__name", "organization": "organization__slug",
               "workflow": "workflow_id", "after_id": "id__gt", "since": "created_at__gte", "until": "created_at__lt"}
    for key, lookup in lookups.items():
        if filters.get(key) not in (None, ""):
            qs = qs.filter(**{lookup: filters[key]})
    return qs


def organization_for_publishing(*, user, slug: str | None):
    """The organization ``user`` publishes into: ``slug`` if they may, else their only one (the
    default organization for superusers). ApplicationError naming the problem otherwise."""
    from generalbots.core.exceptions import NotFoundError
    from generalbots.core.services import organization_get_default

    allowed = organizations_visible_to(user=user, operate=True)
    if slug:
        organization = allowed.filter(slug=slug).first()
        if organization is None:
            raise NotFoundError(f"No organization {slug!r} you may publish events in.",
                                code="workflows.organization_not_found", extra={"organization": slug})
        return organization
    if user.is_superuser:
        return organization_get_default()
    found = list(allowed[:2])
    if not found:
        raise NotFoundError("You may not publish events in any organization (no operator grant on any bot).",
                            code="workflows.organization_not_found")
    if len(found) > 1:
        raise ApplicationError("You operate bots in several organizations: say which one with 'organization'.",
                               code="workflows.organization_required")
    return found[0]
