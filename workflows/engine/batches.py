"""Many runs sliced in one transaction: the batch a ``workflows.run_slices`` message carries (one
event waking thousands of runs, a sweep of many due timers; ``engine.enqueue_slices``).

``slice_runs`` gives every run of the batch the slice ``slices.slice_one`` would, with the same
guarantees (DESIGN §4.2–4.5), but pays the fixed costs once per batch instead of once per run:

- the attempts of all the runs are counted in one committed statement (``_count_many``; on
  PostgreSQL with the fast SQL on, one raw ``UPDATE ... FOR UPDATE SKIP LOCKED`` committed
  without waiting for the disk, as ``slices.count_attempt`` does for one run), and the runs are
  locked with their bots by one ``SELECT ... FOR UPDATE SKIP LOCKED`` (a run another worker holds
  is left to it);
- the event every waiting run takes from its mailbox is taken for all of them in one statement
  (``_take_many``: ``events._TAKE_SQL`` for each run, joined ``LATERAL``);
- the rows every slice recorded are written together (``recorder.flush_all``), and the batch
  commits once: one disk flush for the whole batch.

Isolation: each run's slice runs in a savepoint of its own. A slice that raises is rolled back to
it, alone: a bug or a broken slice fails that run (``slices.fail_broken``, as for one run); a
database error leaves the run as it was (its event given back to its mailbox) for the sweeper to
try again. Either way its batch-mates go on and commit. If the batch's own statements fail (the
lock, the flush, the commit), the whole batch is undone and each of its runs is sliced alone
(``slices.slice_run``): what the batch did not commit, no run keeps.

Runs of a conversation (their slices are turns, ``turns``) and the runs the slices ask to continue
(an outside effect recorded, a handler to drain, a parent whose join completed) are sliced after
the commit, one by one, each attempt already counted (``slices.drain``).

The whole batch judges wake-ups at one ``now`` (read when the batch starts, as the sweeper's
``now`` is shared by the runs of one sweep).

Cost: a batch of N runs sends six statements (count, lock, take, flush, reset of the idle ones,
commit) where N slices sent five each; a run's savepoint is sent only before the first statement
its own slice sends, and never released (``fastsql.LazySavepoint``), so a slice that only runs the
VM pays no round trip for its isolation.
"""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from generalbots.core import fastsql
from generalbots.core.lookups import AnyOf
from workflows import events
from workflows.choices import ExecutionKind
from workflows.engine import slices
from workflows.engine.children import notify_parent
from workflows.engine.core import SliceContext, advance
from workflows.engine.recorder import flush_all
from workflows.models import WorkflowEvent, WorkflowEventConsumption, WorkflowExecution

logger = logging.getLogger(__name__)


def slice_runs(execution_ids, *, now=None, counted: bool = False, skipped: list | None = None) -> int:
    """One slice for each run of ``execution_ids`` in one transaction (see the module docstring),
    then what they ask to continue; returns the slice count. ``now``: as for ``slice_one``;
    ``counted``: this attempt of each run is counted already (``sweep_timers`` or
    ``starts.claim_new`` claimed them);
    ``skipped``: filled with the ids another transaction held when the batch locked its runs."""
    ids = list(dict.fromkeys(str(pk) for pk in execution_ids))
    if not ids:
        return 0
    try:
        done, follow, armed = _batch_reconnecting(ids, now, counted, [] if skipped is None else skipped)
    except DatabaseError:
        logger.exception("A batch of %d runs failed on a database error; slicing them one by one", len(ids))
        return _one_by_one(ids, now)
    return done + slices.drain(follow, armed=armed, now=now)


def _one_by_one(ids, now) -> int:
    done = 0
    for execution_id in ids:
        try:
            done += slices.slice_run(execution_id, now=now)
        except DatabaseError:
            logger.exception("Run %s: its slice failed on a database error; the sweeper will queue it again",
                             execution_id)
    return done


def _batch_reconnecting(ids, now, counted: bool, skipped: list):
    """``_batch``, once more on a fresh connection when the reused one was dead
    (``slices.reconnecting``)."""
    return slices.reconnecting(lambda: _batch(ids, now, counted, skipped), what=f"a batch of {len(ids)} runs")


def _batch(ids, now, counted: bool, skipped: list):
    """Count, lock, take, slice and commit the batch; returns (slices done, runs to continue, the
    continued runs whose attempt is already counted)."""
    counted = ids if counted else _count_many(ids)
    now = now or timezone.now()
    follow: list = []
    armed: set = set()
    done = 0
    with transaction.atomic():
        runs = _lock_many(counted)
        skipped[:] = [pk for pk in counted if pk not in runs]
        alone = [pk for pk, run in runs.items() if run.conversation_id and run.kind in (
            ExecutionKind.CONVERSATION, ExecutionKind.SCRIPT)]
        for pk in alone:  # sliced as turns after the commit, counted already
            runs.pop(pk)
        taken = _take_many([run for run in runs.values() if not run.is_finished], now)
        recorders, sliced, idle = [], [], []
        targets: dict = {}  # the bots BOT steps name, looked up once per batch (one transaction)
        for pk, run in runs.items():
            if run.is_finished:
                continue
            ctx = SliceContext(now=now, targets=targets)
            outcome = _slice_in_savepoint(run, ctx, taken.get(pk, events.NOT_TAKEN))
            if outcome == "idle":
                idle.append(pk)
                continue
            if outcome == "left":
                continue
            if outcome == "sliced":
                recorders.append(ctx.recorder)
                sliced.append(run)
                armed.update(map(str, ctx.armed))
            done += 1
            follow.extend(map(str, ctx.continue_ids))
        flush_all(recorders)
        follow.extend(map(str, _joins_completed(sliced, now)))
        if idle:  # nothing was due: these attempts are over
            WorkflowExecution.objects.filter(pk__in=idle).update(slice_attempts=0)
    armed.update(alone)
    return done, [*follow, *alone], armed  # drain() queues each run once


def _slice_in_savepoint(run: WorkflowExecution, ctx: SliceContext, taken) -> str:
    """One run's slice inside the batch, in a savepoint: "sliced" (its rows are in
    ``ctx.recorder``), "failed" (undone and the run failed, in this transaction), "left" (undone
    on a database error: the sweeper tries again) or "idle" (nothing was due)."""
    limit = settings.GB_SLICE_MAX_ATTEMPTS
    try:
        with fastsql.LazySavepoint(connection):
            if limit and run.slice_attempts > limit:
                slices.poisoned(run, ctx)
                return "sliced"
            wake = slices.wake_for(run, ctx, taken=taken)
            if wake is None:
                return "idle"
            advance(run, wake, ctx)
            return "sliced"
    except DatabaseError:
        logger.exception("Run %s: its slice failed on a database error; the sweeper will queue it again", run.pk)
    except Exception as exc:
        try:
            with transaction.atomic():
                ctx.continue_ids[:] = slices.fail_broken(run.pk, exc)
            return "failed"
        except DatabaseError:
            logger.exception("Run %s: its slice broke on a database error; the sweeper will queue it again", run.pk)
    ctx.continue_ids.clear()
    if isinstance(taken, events.Taken):  # the batch's take is outside the savepoint: give the event back
        WorkflowEventConsumption.objects.filter(event_id=taken.event.pk, execution_id=run.pk).delete()
    return "left"


def _joins_completed(runs, now) -> list:
    """The parents to continue whose join the children of this batch completed together. Each
    child's slice asked (``children.notify_parent``) before its batch-mates' rows were written, so
    siblings ending in one batch each saw the others still open; asked again now, once per join."""
    asked, ctx = set(), SliceContext(now=now)
    for run in runs:
        join = (run.parent_id, run.parent_key)
        if run.parent_id and run.is_finished and join not in asked:
            asked.add(join)
            notify_parent(run, ctx)
    return ctx.continue_ids


def _count_many(ids) -> list:
    """Count a slice attempt of each unfinished run of ``ids`` that no other worker holds, committed
    at once (one statement: see ``slices.count_attempt``); returns the ids counted."""
    meta = WorkflowExecution._meta
    if connection.vendor == "postgresql" and fastsql.enabled():
        table, attempts, key, status = (connection.ops.quote_name(n) for n in (
            meta.db_table, meta.get_field("slice_attempts").column, meta.pk.column, meta.get_field("status").column))
        sql = ("SET LOCAL synchronous_commit TO OFF; "
               f"UPDATE {table} SET {attempts} = LEAST({attempts} + 1, 32767) WHERE {key} IN "
               f"(SELECT {key} FROM {table} WHERE {key} = ANY(%s::uuid[]) AND {status} IN (%s, %s, %s) "
               f"FOR UPDATE SKIP LOCKED) RETURNING {key}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids), *map(str, slices.UNFINISHED)])
            cursor.nextset()
            found = {str(row[0]) for row in cursor.fetchall()}
    else:
        with transaction.atomic():
            qs = WorkflowExecution.objects.filter(pk__in=ids, status__in=slices.UNFINISHED).order_by()
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True)
            found = {str(pk) for pk in qs.values_list("pk", flat=True)}
            WorkflowExecution.objects.filter(pk__in=found).update(slice_attempts=Least(F("slice_attempts") + 1, 32767))
    return [pk for pk in ids if pk in found]


def _lock_many(ids) -> dict:
    """The runs of ``ids`` with their bots, locked for this transaction (those another worker holds
    skipped), by id in the order of ``ids``."""
    if not ids:
        return {}
    # one statement text for any number of runs (generalbots.core.lookups)
    qs = WorkflowExecution.objects.select_related("bot").filter(AnyOf(F("pk"), ids)).order_by() \
        .defer("bot__manifest", "bot__theme_css", "bot__problems")
    if connection.features.has_select_for_update:
        skip = connection.features.has_select_for_update_skip_locked
        qs = qs.select_for_update(skip_locked=skip, of=("self",))
    found = {str(run.pk): run for run in qs}
    return {pk: found[pk] for pk in ids if pk in found}


# ``events._TAKE_SQL`` for many runs at once: each request row is one run's take (``TakeRequest``),
# its oldest matching mailbox event picked LATERAL and its consumption inserted by the same statement.
_TAKE_MANY_SQL = """
WITH req AS (
  SELECT * FROM unnest(%(runs)s::uuid[], %(names)s::text[], %(wheres)s::text[], %(untils)s::timestamptz[],
                       %(orgs)s::uuid[], %(sinces)s::timestamptz[], %(handlers)s::text[])
    AS r(run, name, cond, until, org, since, handlers)),
picked AS (
  SELECT req.run, e.id, e.event_name, e.event_data, e.created_at,
         COALESCE(e.event_name = req.name AND (req.cond IS NULL OR e.event_data @> req.cond::jsonb)
                  AND (req.until IS NULL OR e.created_at <= req.until), false) AS waited
  FROM req CROSS JOIN LATERAL (
    SELECT e.id, e.event_name, e.event_data, e.created_at FROM workflow_events e
    WHERE e.organization_id = req.org AND e.created_at >= req.since
      AND ((e.event_name = req.name AND (req.cond IS NULL OR e.event_data @> req.cond::jsonb)
            AND (req.until IS NULL OR e.created_at <= req.until))
           OR e.event_name = ANY(req.handlers::text[]))
      AND NOT EXISTS (SELECT 1 FROM workflow_event_consumptions c WHERE c.event_id = e.id AND c.execution_id = req.run)
    ORDER BY e.id LIMIT 1) e),
taken AS (
  INSERT INTO workflow_event_consumptions (event_id, execution_id, kind, consumed_at)
  SELECT id, run, CASE WHEN waited THEN 'wait' ELSE 'handler' END, %(now)s FROM picked)
SELECT run, id, event_name, event_data::text, created_at, waited FROM picked
"""


def _take_many(runs, now) -> dict:
    """The mailbox take of each waiting run of ``runs`` that waits on events and whose take fits
    one statement (``TakeRequest.in_one_statement``), in one statement: run id -> Taken or None.
    Runs left out take their own in their slice (``events.event_wake``)."""
    from workflows.choices import ExecutionStatus

    requests = {}
    for run in runs:
        wait = run.wait or {}
        if run.status != ExecutionStatus.WAITING or not (run.waiting_for.startswith("event:") or wait.get("events")):
            continue
        request = events.TakeRequest.of(wait, now)
        if request.in_one_statement():
            requests[str(run.pk)] = (run, request)
    if not requests:
        return {}
    items = list(requests.values())
    params = {
        "runs": [run.pk for run, _ in items], "names": [r.name for _, r in items],
        "wheres": [json.dumps(r.where) if r.where else None for _, r in items],
        "untils": [r.until for _, r in items], "orgs": [run.bot.organization_id for run, _ in items],
        "sinces": [run.created_at or now for run, _ in items],
        "handlers": ["{" + ",".join(json.dumps(h) for h in r.handlers) + "}" for _, r in items],
        "now": timezone.now()}
    result = dict.fromkeys(requests)
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_MANY_SQL, params)
        rows = cursor.fetchall()
    for run_id, pk, name, data, created_at, waited in rows:
        run = requests[str(run_id)][0]
        event = WorkflowEvent(id=pk, organization_id=run.bot.organization_id, event_name=name,
                              event_data=json.loads(data), created_at=created_at)
        kind = WorkflowEventConsumption.Kind.WAIT if waited else WorkflowEventConsumption.Kind.HANDLER
        result[str(run_id)] = events.Taken(event, kind)
    return result


HELD_TRIES = 3
HELD_PAUSE = 0.02  # seconds before the n-th retry of held runs alone: n x this (0.12 s in all)


def sweep_timers(*, now=None, budget: int = slices.MAX_SLICES_PER_TASK) -> int:
    """The timer tick (``workflows.sweep_timers``, every ``GB_SWEEP_TIMER_SECONDS``), run by a
    worker: claim the ``GB_SLICE_BATCH`` oldest due timers, counting their slice attempt, in one
    committed transaction (``slices.claim_due_timers``), slice them in one more
    (``slice_runs``), and again until none is due; returns how many were claimed.

    Every worker that takes a tick drains side by side with the others (``SKIP LOCKED``: never
    the same run), with no message between the claim and the slice and no second write to count
    the attempt. A claimed run the batch finds held by another transaction (another worker's claim
    can lock a row it then leaves out, until it commits) is tried again with the next batches, up
    to ``HELD_TRIES`` times, after a pause of ``HELD_PAUSE`` times the try when nothing else is
    left to slice (the holder is usually a claim about to commit); then the requeue delay below
    applies.
    A worker killed between the two leaves its claimed runs waiting and counted: the
    next claim after ``GB_SWEEP_REQUEUE_SECONDS`` takes them again (a run whose slice kills its
    worker each time is failed as poisoned, as any run). After ``budget`` slices the tick gives
    the worker back to its queue and sends the next tick behind what waits there. When nothing
    is due a tick costs one statement on the ``resume_at`` index. ``now``: the time wake-ups are
    judged at (the current time of each claim by default)."""
    claimed = done = 0
    again: list = []  # claimed runs the last batch found held by another transaction, tried again
    tries: dict = {}
    while True:
        at = now or timezone.now()
        room = settings.GB_SLICE_BATCH - len(again) if done < budget else 0
        ids = []
        if room > 0:
            with transaction.atomic():
                ids = slices.claim_due_timers(now=at, limit=room, count=True)
                if ids and connection.vendor == "postgresql":  # a claim lost with the database is made again
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")  # read at the commit
        if not ids and not again:
            break
        if not ids:  # only runs another transaction held are left: give it a moment to commit
            time.sleep(HELD_PAUSE * max(tries[pk] for pk in again))
        claimed += len(ids)
        held: list = []
        done += slice_runs([*again, *ids], now=at, counted=True, skipped=held)
        for pk in held:
            tries[pk] = tries.get(pk, 0) + 1
        again = [pk for pk in held if tries[pk] <= HELD_TRIES]
    if done < budget:
        return claimed
    from generalbots.core.dispatch import enqueue
    from workflows.tasks import sweep_timers_task

    enqueue(sweep_timers_task)  # more may be due: the next tick, behind the queued work
    return claimed
