"""Workers' side of the engine: what wakes a run, one locked slice, the sweeper and pruning.

``slice_run`` is what the ``workflows.run_slice`` task calls. It locks the run
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL: a run another worker holds is skipped, that
worker will see the same wake-up), works out the wake-up value from rows (``wake_for``), runs one
slice and commits it. Runs the slice says to continue (a child whose join completed its parent,
a run that recorded an outside effect) are sliced straight after by the same worker, so a chain
of children never waits for a queue.

The sweeper (``sweep``) finds every run whose wake-up is due or a lost message left behind
(DESIGN §4.5) and only enqueues it. Due timers (and HEAR timeouts of conversations) have a tick
of their own, run by the workers themselves (``batches.sweep_timers``): each claims the oldest
due, a batch at a time, with ``SKIP LOCKED`` so that two workers never claim the same run
(``claim_due_timers``), and slices them at once; ``sweep`` claims only the timers that tick left
behind. The runs one sweep or one event wakes are sliced a batch to a transaction (``batches``).

A run of a conversation (its start.bas, a CALLed script) is sliced as a turn of that
conversation (``turns.conversation_slice``: TALK reaches the user, the savepoint and apology of
every turn). The conversation row is taken with SKIP LOCKED: while a user message of it is being
answered, the wake-up is left for the sweeper (waiting for that lock while holding the run's
could deadlock with the message's turn, which holds the conversation and writes the run).

A worker can die in the middle of a slice (killed, out of memory): no exception reaches the
engine and nothing of the slice is committed, so the sweeper would queue the run again for
ever. Each slice therefore counts itself first, in its own committed statement, on the run's
``slice_attempts`` (``count_attempt``; on PostgreSQL one statement that skips a row another
worker holds, committed without waiting for the disk: it is a hint about crashes, not data;
in a worker it travels with the lock, in the same round trip: ``_lock_counting``); the state
update of a slice that settles clears it. A slice that the same worker runs straight
after the previous one of the same run (an outside effect recorded, an ON EVENT handler) is
counted by that previous commit instead, so a chain of effects pays no extra statement (a task
that stops at ``MAX_SLICES_PER_TASK`` may count one attempt twice). A lock that finds more
attempts than ``GB_SLICE_MAX_ATTEMPTS`` fails the run as poisoned instead of running the slice
again.

A slice whose transaction was broken by an error that is not the database's (a RecursionError
deep in the ORM, say) is rolled back and its run failed with that error and its line in a new
transaction; a database error is raised again, for the task to fail and the sweeper to retry.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone

from generalbots.basic import BasicError, BasicRuntimeError, SliceResult, SliceStatus, WaitKind
from generalbots.basic.host import JOIN_KINDS
from generalbots.basic.values import decode_value
from generalbots.core import fastsql
from generalbots.core.fastsql import PreparedSelect
from workflows import events
from workflows.choices import ApprovalStatus, ExecutionKind, ExecutionStatus
from workflows.engine import turns
from workflows.engine.children import cancel_tree, join_value, notify_parent
from workflows.engine.core import (SliceBroken, SliceContext, Wake, WakeMode, advance, format_error, save_run,
                                   standing_line)
from workflows.models import WorkflowApproval, WorkflowEffect, WorkflowExecution

logger = logging.getLogger(__name__)
UNFINISHED = (ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.WAITING)
MAX_SLICES_PER_TASK = 500


def lock_run(execution_id, *, skip_locked: bool = True) -> WorkflowExecution | None:
    """The run with its bot, locked for this transaction (None when missing or, with
    ``skip_locked``, held by another worker).

    Every slice starts here, so the statement is compiled once per process (``PreparedSelect``);
    the run's script is not joined (``core.script_for`` keeps versions per process)."""
    return (_LOCK_SKIP if skip_locked else _LOCK_WAIT).get(execution_id, using=connection.alias)


def _locked(skip_locked: bool):
    def build(pk):
        qs = WorkflowExecution.objects.select_related("bot").filter(pk=pk).order_by() \
            .defer("bot__manifest", "bot__theme_css", "bot__problems")  # package data slices never read
        if connection.features.has_select_for_update:
            if skip_locked and connection.features.has_select_for_update_skip_locked:
                return qs.select_for_update(skip_locked=True, of=("self",))
            return qs.select_for_update(of=("self",))
        return qs
    return PreparedSelect(build, WorkflowExecution._meta.pk)


_LOCK_SKIP, _LOCK_WAIT = _locked(True), _locked(False)


def wake_for(run: WorkflowExecution, ctx: SliceContext, *, taken=events.NOT_TAKEN) -> Wake | None:
    """What continues ``run`` now, from the rows; None when nothing is due. ``taken``: the
    mailbox take a batch already did for the run (``events.event_wake``)."""
    now = ctx.now
    if run.status == ExecutionStatus.PENDING:
        return Wake(WakeMode.RESUME, None) if run.state else Wake(WakeMode.START)
    if run.status != ExecutionStatus.WAITING:
        return None
    kind, wait = run.waiting_for, run.wait or {}
    event = kind.startswith(f"{WaitKind.EVENT}:")
    if event or wait.get("events"):  # the event bus (workflows.events)
        woken = events.event_wake(run, wait, ctx, taken=taken)
        if woken is not None or event:
            return woken
    due = run.resume_at is not None and run.resume_at <= now
    if kind in (WaitKind.TIMER, WaitKind.HEAR):  # a HEAR past its deadline takes no answer
        return Wake(WakeMode.RESUME, None) if due else None
    if kind == WaitKind.EFFECT:
        recorded = WorkflowEffect.objects.filter(execution_id=run.pk, key=wait.get("key")).first()
        if recorded is None:
            return Wake(WakeMode.ERROR, BasicRuntimeError("the result of an outside effect was lost"))
        return Wake(WakeMode.RESUME, decode_value(recorded.result))
    if kind == WaitKind.APPROVAL:
        return _approval_wake(run, wait, now)
    if kind in JOIN_KINDS:
        return _join_wake(run, kind, wait, ctx)
    return None


def _approval_wake(run, wait, now) -> Wake | None:
    request = WorkflowApproval.objects.filter(execution_id=run.pk, effect_key=wait.get("key")).order_by(
        "-created_at").first()
    if request is None:
        return Wake(WakeMode.ERROR, BasicRuntimeError("the approval request of this run is gone"))
    if request.status == ApprovalStatus.PENDING:
        if request.deadline is None or request.deadline > now:
            return None
        request.transition_to(ApprovalStatus.TIMEOUT)
        request.save(update_fields=["status", "decided_at", "updated_at"])
    if request.status == ApprovalStatus.TIMEOUT:
        return Wake(WakeMode.RESUME, {"status": "timeout"})
    decider = request.decided_by.get_username() if request.decided_by_id else request.approver
    return Wake(WakeMode.RESUME, {"status": request.status, "approver": decider, "comment": request.comment or None})


def _join_wake(run, kind, wait, ctx) -> Wake | None:
    children = list(WorkflowExecution.objects.filter(parent_id=run.pk, parent_key=wait.get("key"))
                    .order_by("position", "created_at"))
    if not children:
        return Wake(WakeMode.ERROR, BasicRuntimeError(f"the child runs of this {kind.upper()} step are gone"))
    what = "branch" if kind == WaitKind.PARALLEL else "bot"
    failed = next((c for c in children if c.status == ExecutionStatus.FAILED), None)
    if failed is not None:
        cancel_tree(run, ctx, reason=f"{what} {failed.branch_label or failed.bot.name} failed")
        name = failed.branch_label or failed.bot.name
        return Wake(WakeMode.ERROR, BasicRuntimeError(f"{what} {name} failed: {failed.error}"))
    if any(c.status in UNFINISHED for c in children):
        if run.resume_at is not None and run.resume_at <= ctx.now:
            cancel_tree(run, ctx, reason="the step timed out")
            return Wake(WakeMode.RESUME, {"timed_out": True})
        return None
    cancelled = next((c for c in children if c.status == ExecutionStatus.CANCELLED), None)
    if cancelled is not None:
        name = cancelled.branch_label or cancelled.bot.name
        return Wake(WakeMode.ERROR, BasicRuntimeError(f"{what} {name} was cancelled"))
    return Wake(WakeMode.RESUME, join_value(WaitKind(kind), children))


def _advance(wake: Wake):
    return lambda run, ctx: advance(run, wake, ctx)


def _count_sql() -> str:
    """PostgreSQL: add one to a run's ``slice_attempts`` unless another worker holds the row;
    its transaction commits without waiting for the disk (a lost count only follows a crash
    of the database itself)."""
    meta = WorkflowExecution._meta
    table, attempts, key, status = (connection.ops.quote_name(n) for n in (
        meta.db_table, meta.get_field("slice_attempts").column, meta.pk.column, meta.get_field("status").column))
    return ("SET LOCAL synchronous_commit TO OFF; "
            f"UPDATE {table} SET {attempts} = LEAST({attempts} + 1, 32767) WHERE {key} = "
            f"(SELECT {key} FROM {table} WHERE {key} = %s AND {status} IN (%s, %s, %s) FOR UPDATE SKIP LOCKED)")


def _count_params(execution_id) -> list:
    return [WorkflowExecution._meta.pk.get_db_prep_value(execution_id, connection), *map(str, UNFINISHED)]


def count_attempt(execution_id) -> bool:
    """Count a slice attempt of ``execution_id``, committed at once (see the module docstring);
    False when there is nothing to slice (finished, gone, or held by another worker). With the
    fast SQL on (``core.fastsql``), on PostgreSQL one raw statement that skips a locked row and
    commits without waiting for the disk; otherwise an ORM update."""
    if connection.vendor == "postgresql" and fastsql.enabled():
        with connection.cursor() as cursor:
            cursor.execute(_count_sql(), _count_params(execution_id))  # its own (implicit) transaction
            cursor.nextset()
            return cursor.rowcount == 1
    return WorkflowExecution.objects.filter(pk=execution_id, status__in=UNFINISHED).update(
        slice_attempts=Least(F("slice_attempts") + 1, 32767)) == 1


def _lock_counting(execution_id) -> WorkflowExecution | None:
    """``count_attempt`` and ``lock_run`` in the round trip of the lock: the count is the first
    transaction of the statement, committed (``COMMIT``) before a new one (``BEGIN``) takes the
    lock; the count's own ``BEGIN`` leads the statement (``fastsql.own_begin``) instead of going
    first in a round trip of its own. Only for the outermost transaction on PostgreSQL (an
    enclosing one would be committed)."""
    begin = fastsql.begin_statement(connection)
    opened = f"{begin}; " if fastsql.own_begin(connection) else ""  # psycopg's BEGIN, in this round trip
    return _LOCK_SKIP.get(execution_id, using=connection.alias,
                          before=(f"{opened}{_count_sql()}; COMMIT; {begin}", _count_params(execution_id)))


def poisoned(run: WorkflowExecution, ctx: SliceContext) -> SliceResult:
    """Fail ``run``, whose slice was begun more than ``GB_SLICE_MAX_ATTEMPTS`` times in a row
    without settling (each attempt killed its worker)."""
    crashes = run.slice_attempts - 1
    path, line = standing_line(run)
    error = BasicRuntimeError(f"the slice crashed its worker {crashes} times in a row; the run was stopped "
                              "so that it is not tried again for ever", line=line)
    logger.error("Run %s failed as poisoned: its slice was begun %s times without settling", run.pk, crashes)
    if run.status != ExecutionStatus.RUNNING:
        run.transition_to(ExecutionStatus.RUNNING)
    run.transition_to(ExecutionStatus.FAILED)
    run.error = format_error(path, error) if line else f"{path}: {error.message}"
    run.error_line = line or None
    run.waiting_for, run.resume_at, run.wait, run.swept_at = "", None, {}, None
    run.slice_attempts = 0
    save_run(run, ctx)
    cancel_tree(run, ctx, reason="the run failed")
    if run.parent_id:
        notify_parent(run, ctx)
    return SliceResult(SliceStatus.FAILED, error=error)


def slice_one(execution_id, *, counted: bool = False, armed: set | None = None, now=None,
              kept: dict | None = None) -> list:
    """One slice of one run in its own transaction; returns the runs to continue next (those
    whose next attempt this slice already counted are added to ``armed``). ``counted``: the
    attempt was counted by the commit before it (see the module docstring); ``now``: the time
    wake-ups are judged at (the sweeper's, by default the current time); ``kept``: a workflow
    run (not a conversation's) as the committed slice left it is put there under its id (text)."""
    folded = (not counted and fastsql.enabled() and connection.vendor == "postgresql" and not connection.in_atomic_block
              and connection.features.has_select_for_update_skip_locked)
    if not counted and not folded and not count_attempt(execution_id):
        return []
    ctx = SliceContext(now=now) if now is not None else SliceContext()
    with transaction.atomic():
        run = _lock_counting(execution_id) if folded else lock_run(execution_id)
        if run is None or run.is_finished:
            return []
        limit = settings.GB_SLICE_MAX_ATTEMPTS
        if limit and run.slice_attempts > limit:
            work = poisoned
        else:
            wake = wake_for(run, ctx)
            if wake is None:  # nothing to do: this attempt is over
                WorkflowExecution.objects.filter(pk=run.pk).update(slice_attempts=0)
                ctx.recorder.flush()
                return []
            work = _advance(wake)
        if run.conversation_id and run.kind in (ExecutionKind.CONVERSATION, ExecutionKind.SCRIPT):
            turn = turns.turn_open(run.conversation_id, skip_locked=True)
            if turn is None:  # a message of the conversation is being answered: the sweeper comes back
                WorkflowExecution.objects.filter(pk=run.pk).update(slice_attempts=0)
                return []
            failure = turns.conversation_slice(turn, run, ctx, work, reraise=(DatabaseError,))
            if failure is not None:  # the user got an apology; the run fails as any broken slice does
                ctx.continue_ids.extend(fail_broken(run.pk, failure))
        else:
            work(run, ctx)
            ctx.recorder.flush(last_for={run.pk})  # the last writes: the commit may ride with them
            if kept is not None:  # read once the commit below succeeds
                kept[str(run.pk)] = run
    if armed is not None:
        armed.update(ctx.armed)
    return ctx.continue_ids


def slice_run(execution_id, *, now=None) -> int:
    """Run ``execution_id`` and whatever it wakes, slice after slice; returns the slice count.

    A connection found dead before anything was done (the database restarted while the worker
    was idle) is replaced and the slice tried once more. Any other database error (deadlock,
    lost connection mid-slice) undoes the slice and is raised: the task fails and the sweeper
    tries again. Any other exception is a bug: the run is failed with it, so it never loops
    through the sweeper forever. ``now``: as for ``slice_one``.
    """
    follow: list = []
    armed: set = set()

    def first() -> int:
        follow[:] = _slice_guarded(execution_id, counted=False, armed=armed, now=now)
        return 1

    done = reconnecting(first, what=f"run {execution_id}")
    return done + drain(follow, armed=armed, now=now, done=done)


def slice_started(run: WorkflowExecution, insert, *, kept: dict | None = None) -> int | None:
    """The first slice of the new run ``run`` in the transaction of its INSERT (``insert()``,
    True when it wrote the row), then whatever that slice wakes; for a start its caller slices
    itself (``services.execution_start(here=True)``). Returns the slice count, or None when
    ``insert()`` wrote nothing (then nothing was done). ``kept`` gets each run these slices
    sliced, as its last slice left it (``slice_one``), ``run`` always.

    Until that transaction commits no other transaction can see the run, so the slice needs
    neither the lock nor the attempt count a worker's slice takes first (two round trips
    fewer): nobody else can hold the row, and a process that dies in the slice leaves no run
    behind to count, as if the start had never been asked. An exception in this first slice
    undoes the start with it and is raised (the caller hands a new start to the workers); one
    in a slice after it is what it is in a worker's task (``drain``), except that a database
    error is logged and what is left is the sweeper's (the run is committed by then)."""
    ctx = SliceContext()
    with transaction.atomic():
        if not insert():
            return None
        _advance(wake_for(run, ctx))(run, ctx)
        ctx.recorder.flush(last_for={run.pk})  # the last writes: the commit may ride with them
        if kept is not None:  # read once the commit below succeeds
            kept[str(run.pk)] = run
    try:
        return 1 + drain(ctx.continue_ids, armed=ctx.armed, kept=kept)
    except DatabaseError:
        logger.warning("Run %s: a slice after its first failed; the sweeper takes what is left", run.pk,
                       exc_info=True)
        return 1


def drain(execution_ids, *, armed: set, now=None, done: int = 0, kept: dict | None = None) -> int:
    """Slice each run of ``execution_ids`` and whatever those slices ask to continue, in order,
    up to ``MAX_SLICES_PER_TASK`` slices (counting ``done`` already run; the rest is enqueued);
    ``armed``: the runs whose next attempt is already counted; ``kept``: as for ``slice_one``.
    Returns the slice count."""
    todo = deque(dict.fromkeys(map(str, execution_ids)))  # ids as text: a run is queued once
    armed = set(map(str, armed))
    start = done
    while todo:
        current = todo.popleft()
        if done >= MAX_SLICES_PER_TASK:
            from workflows.engine import enqueue_slice
            enqueue_slice(current)
            continue
        counted = current in armed
        armed.discard(current)
        now_armed: set = set()
        follow = _slice_guarded(current, counted=counted, armed=now_armed, now=now, kept=kept)
        armed.update(map(str, now_armed))
        done += 1
        for nxt in map(str, follow):
            if nxt not in todo:
                todo.append(nxt)
    return done - start


def _slice_guarded(execution_id, *, counted: bool, armed: set, now, kept: dict | None = None) -> list:
    """``slice_one``; a database error is raised, any other exception fails the run."""
    try:
        return slice_one(execution_id, counted=counted, armed=armed, now=now, kept=kept)
    except DatabaseError:
        raise
    except Exception as exc:
        return fail_broken(execution_id, exc)


def reconnecting(work, *, what: str):
    """``work()``, once more on a fresh connection if the reused one was dead (the database
    restarted while the worker was idle). Workers skip Django's per-task health-check query (a
    round trip on every slice); this is the same safety, paid only when it is needed. The
    failed attempt was rolled back, so running it again is what the sweeper would do later."""
    before = _backend(connection)
    try:
        return work()
    except (InterfaceError, OperationalError):
        raw = connection.connection
        if before is None or (raw is not None and not raw.closed and _backend(connection) == before):
            raise  # the same live connection: a real database error, not a dead connection
        logger.warning("The database connection was lost; slicing %s again on a new one", what)
        connection.close()
        return work()


def _backend(conn):
    raw = conn.connection
    if raw is None or getattr(raw, "closed", True):
        return None
    info = getattr(raw, "info", None)
    return getattr(info, "backend_pid", None) or id(raw)


def fail_broken(execution_id, exc: Exception) -> list:
    """Fail the run whose slice raised ``exc`` (undone), or raise the database error that broke
    the slice's transaction (the task fails; the sweeper tries again)."""
    if isinstance(exc, SliceBroken):
        cause = exc.database_error()
        if cause is not None:
            raise cause from exc
        logger.warning("Run %s: its slice broke the transaction: %s", execution_id, exc)
        return _fail_internal(execution_id, exc.error or exc)
    logger.exception("Run %s failed in the engine", execution_id, exc_info=exc)
    return _fail_internal(execution_id, exc)


def _fail_internal(execution_id, exc: Exception) -> list:
    """Fail the run in a transaction of its own after its slice was undone: with the script
    error that ended the slice (its line), or, for an error of the engine itself, the line
    the run stands on; the exception's text stays in the log (it may name server files)."""
    with transaction.atomic():
        run = lock_run(execution_id, skip_locked=False)
        if run is None or run.is_finished:
            return []
        path, line = standing_line(run)
        if isinstance(exc, BasicError) and isinstance(exc.__cause__, SliceBroken):  # broken in a child run
            exc = BasicRuntimeError(f"a child run failed: {exc.__cause__}", line=exc.line)
        if isinstance(exc, BasicError):
            error = exc.with_position(line)
            run.error = format_error(path, error) if error.line else f"{path}: {error.message}"
        else:
            where = f"{path}:{line}" if line else path
            run.error = f"{where}: internal error ({type(exc).__name__}); the run was stopped and the details logged"
            error = BasicRuntimeError(run.error, line=line)
        run.error_line = error.line or None
        if run.status != ExecutionStatus.RUNNING:
            run.transition_to(ExecutionStatus.RUNNING)
        run.transition_to(ExecutionStatus.FAILED)
        run.waiting_for, run.resume_at, run.wait = "", None, {}
        run.slice_attempts = 0
        run.save()
        ctx = SliceContext()
        cancel_tree(run, ctx, reason="the run failed")
        if run.parent_id:
            notify_parent(run, ctx)
    return ctx.continue_ids


def due_ids(*, now=None, limit: int = 500, timers: bool = True) -> set:
    """Runs whose wake-up is due or a lost message left behind (DESIGN §4.5): timers, HEAR
    timeouts, approval and step deadlines passed, decided approvals, joins whose children all
    ended, recorded effects, events in a mailbox, pending runs. ``timers``: include the runs whose
    ``resume_at`` passed (``sweep`` claims those itself, ``claim_due_timers``)."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.GB_SWEEP_GRACE_SECONDS)
    # Unordered: the ids go into a set, and the model's ordering would sort every match first.
    waiting = WorkflowExecution.objects.filter(status=ExecutionStatus.WAITING).order_by()
    ids: set = set()
    if timers:
        ids.update(waiting.filter(resume_at__lte=now).values_list("pk", flat=True)[:limit])
    ids.update(WorkflowApproval.objects.filter(
        status__in=[ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.TIMEOUT],
        execution__status=ExecutionStatus.WAITING, execution__waiting_for=WaitKind.APPROVAL,
    ).order_by().values_list("execution_id", flat=True)[:limit])
    joins = waiting.filter(waiting_for__in=JOIN_KINDS, updated_at__lte=grace)
    ids.update(joins.exclude(children__status__in=UNFINISHED).values_list("pk", flat=True)[:limit])
    ids.update(joins.filter(children__status=ExecutionStatus.FAILED).values_list("pk", flat=True)[:limit])
    ids.update(waiting.filter(waiting_for=WaitKind.EFFECT, updated_at__lte=grace).values_list("pk", flat=True)[:limit])
    ids.update(events.due_event_ids(grace=grace, limit=limit))
    ids.update(WorkflowExecution.objects.filter(status=ExecutionStatus.PENDING, updated_at__lte=grace).order_by()
               .values_list("pk", flat=True)[:limit])
    return ids


def _claimable(now):
    """Runs the sweeper may queue at ``now``: never queued, or long enough ago that the message may
    be lost (``GB_SWEEP_REQUEUE_SECONDS``)."""
    again = now - timedelta(seconds=settings.GB_SWEEP_REQUEUE_SECONDS)
    return WorkflowExecution.objects.filter(Q(swept_at__isnull=True) | Q(swept_at__lte=again)).order_by()


def _claim(candidates, now, limit: int | None = None, *, count: bool = False) -> list:
    """Mark ``candidates`` (a queryset of runs) as queued at ``now`` and return their ids; a run
    another transaction holds (a worker slicing it, another sweeper claiming it) is skipped, so
    two sweepers never queue the same run. ``count``: also count a slice attempt of each (the
    claimer slices them itself, see ``count_attempt``). Inside the caller's transaction."""
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    ids = candidates.values_list("pk", flat=True)
    kick = list(ids[:limit] if limit is not None else ids)
    if kick:
        counted = {"slice_attempts": Least(F("slice_attempts") + 1, 32767)} if count else {}
        WorkflowExecution.objects.filter(pk__in=kick).update(swept_at=now, **counted)
    return kick


def claim_due_timers(*, now=None, limit: int | None = None, count: bool = False, overdue: float = 0) -> list:
    """Claim the waiting runs whose ``resume_at`` passed (DELAY and WAIT timers, HEAR, event and
    approval timeouts, step deadlines) more than ``overdue`` seconds before ``now``, oldest due
    first, at most ``limit`` (``GB_SWEEP_TIMER_BATCH``): two statements whatever their number (a
    ``SELECT ... ORDER BY resume_at LIMIT n FOR UPDATE SKIP LOCKED`` on the ``resume_at`` index,
    one ``UPDATE`` of ``swept_at``, with ``count`` of ``slice_attempts`` too); returns their ids.
    A claimed run is not claimed again before ``GB_SWEEP_REQUEUE_SECONDS`` (a claimer that died
    before its slice committed leaves it to the next claim after that). Inside the caller's
    transaction; the caller slices or enqueues them."""
    now = now or timezone.now()
    limit = settings.GB_SWEEP_TIMER_BATCH if limit is None else limit
    due = _claimable(now).filter(status=ExecutionStatus.WAITING, resume_at__lte=now - timedelta(seconds=overdue))
    return _claim(due.order_by("resume_at"), now, limit, count=count)


def sweep(*, now=None, limit: int = 500) -> int:
    """Enqueue a slice for every run whose wake-up is due (``due_ids``) and for the timers the
    timer tick left more than ``GB_SWEEP_GRACE_SECONDS`` behind (``claim_due_timers``: the tick,
    ``batches.sweep_timers``, resumes timers itself; this is the safety net when it is not
    running); returns how many.

    A run the sweeper queued is queued again only ``GB_SWEEP_REQUEUE_SECONDS`` later (its
    ``swept_at``; every slice clears it), and a run a worker holds right now is skipped: with a
    backlog of queued runs the sweeper would otherwise add a copy of each one every tick.
    """
    from workflows.engine import enqueue_slices

    now = now or timezone.now()
    ids = due_ids(now=now, limit=limit, timers=False)
    with transaction.atomic():
        kick = claim_due_timers(now=now, overdue=settings.GB_SWEEP_GRACE_SECONDS)
        if ids:
            kick += [pk for pk in _claim(_claimable(now).filter(pk__in=ids), now) if pk not in kick]
        enqueue_slices(kick)  # sent when this commits
    return len(kick)


def prune(*, days: float | None = None, batch: int = 500) -> int:
    """Delete finished top-level runs (with their children, steps, approvals and effects) that
    finished more than ``days`` ago (``GB_RUN_RETENTION_DAYS``, 30 by default)."""
    days = settings.GB_RUN_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    total = 0
    while True:
        ids = list(WorkflowExecution.objects.filter(parent__isnull=True, status__in=ExecutionStatus.finished(),
                                                    finished_at__lt=cutoff).values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        with transaction.atomic():
            WorkflowExecution.objects.filter(pk__in=ids).delete()
        total += len(ids)
