"""New runs taken by the workers in batches when they arrive faster than the workers take them
(issue 20 item 3), each on its own message otherwise.

A run started over the API is one row (``services.execution_start``). Once it commits the start
asks a worker to take it (``enqueue_start``):

- the server counts itself on a flag in Redis (``INCR``; the first start sets a short expiry).
  When it is the first, no take is pending: the start sends a ``workflows.slice_new`` message *naming its run*,
  and the worker slices that run at once, on the path of a lone slice (the count and the lock
  in one statement), so a lone start costs no more than a message of its own would;
- when it is not the first, a take is pending already: the start costs one Redis round trip
  and no message;
- the worker that took the message slices the named run first, *then* clears the flag (reading
  its count: when only the first start counted, nothing arrived meanwhile and there is nothing
  to claim) and claims up to ``GB_START_BATCH`` top-level pending runs nobody has queued yet, oldest first, in
  one committed statement (``claim_new``: ``UPDATE ... FOR UPDATE SKIP LOCKED``, which also
  counts their slice attempt and marks them queued in ``swept_at``, as the sweeper does), and
  slices them in one transaction (``batches.slice_runs``; a claim of one run takes the lone
  path). A full batch sends a message again (naming no run) before it is sliced, so the other
  worker takes the next batch meanwhile.

So the starts that arrive while a worker is busy with the first are the batch: an idle
platform slices each run as soon as its message arrives, a saturated one one batch per
message.

Why no start is left behind: a start that found the flag set committed before that
moment, and the flag is cleared by the worker *before* its claim reads the rows, so that claim
sees the run (or a full batch sends the message again). A lost message leaves the flag until
it expires (``GB_START_HINT_SECONDS``); the sweeper takes pending runs older than its grace
anyway (DESIGN §4.5: the rows are the truth, the message a hint). A run claimed twice (its own
message from a retry, say) is sliced once: the lock skips a run another worker holds and a
finished run is left alone.

Under saturation the batches grow by themselves (what arrived while both workers were busy),
which is where the cost per run falls: one message, one task, one lock statement and one commit
per batch instead of per run. Off (``GB_START_BATCH`` = 0, the embedded mode, or no Redis for
the flag) every start sends its own slice message (``engine.enqueue_slice``).
"""

from __future__ import annotations

import logging

import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from generalbots.core import dispatch, fastsql
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether starts are taken in batches (``GB_START_BATCH`` > 0, Celery workers on a broker,
    and the flag in a cache every process shares: Redis)."""
    return settings.GB_START_BATCH > 0 and not settings.GB_INPROCESS_WORKER and bool(settings.REDIS_URL)


def _flag() -> str:
    # One flag per task queue: test runs and benches on one Redis have queues of their own.
    return f"gb:workflows:new-runs:{settings.CELERY_TASK_DEFAULT_QUEUE}"


_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def _client():
    """One Redis client per process and URL (its pool is thread-safe and reset after a fork). Not
    Django's cache: its clients are per thread, and the ASGI server runs each request in a
    thread of its own, so each start would open a connection."""
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                import redis

                client = _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    return client


def enqueue_start(execution_id) -> None:
    """Ask a worker to take the new run ``execution_id`` once the current transaction commits:
    with a take of new runs when those are batched (see the module docstring), otherwise with
    its own slice message."""
    if not enabled():
        from workflows.engine import enqueue_slice

        enqueue_slice(execution_id)
        return
    transaction.on_commit(lambda: hint(execution_id))


# The flag counts the starts that found a take pending: the first sets its expiry and pushes the
# message it was given (``ARGV[2]``, onto the broker's list ``KEYS[2]``), if any.
_ARRIVE = """local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  if ARGV[2] ~= '' then redis.call('LPUSH', KEYS[2], ARGV[2]) end
end
return n"""


def hint(execution_id=None) -> None:
    """Send a ``workflows.slice_new`` message (naming the new run ``execution_id``, if given)
    unless a take is pending already (the flag, which counts the starts that found it). Redis
    down is logged, not raised: the run is committed and the sweeper takes it.

    When the broker is the flag's Redis, the message rides in the flag's script, which pushes it
    only for the first start (``dispatch.redis_push``: the message ``apply_async`` would push):
    one round trip, against the script's and kombu's, and no kombu publish in this process.
    Otherwise the first start sends it with ``apply_async``."""
    from workflows.tasks import slice_new_task

    flagged = False
    try:
        client = _client()
        args = (str(execution_id),) if execution_id is not None else ()
        key, message = dispatch.redis_push(slice_new_task, *args) or ("", "")
        flagged = client.eval(_ARRIVE, 2, _flag(), key or _flag(), int(settings.GB_START_HINT_SECONDS * 1000),
                              message) == 1
        if flagged and not message:
            slice_new_task.apply_async(args=args)
    except Exception as exc:
        logger.warning("Could not ask for a take of new runs (%s); the periodic sweeper will pick them up", exc)
        if flagged:  # no message waits: the next start must send one
            try:
                _client().delete(_flag())
            except Exception:
                pass


def _clear_flag() -> int | None:
    """Clear the flag (``GETDEL``, Redis 6.2 or later); returns how many starts it counted (None:
    gone, or Redis failed)."""
    try:
        count = _client().getdel(_flag())
        return int(count) if count is not None else None
    except Exception as exc:  # the flag expires by itself; the runs are taken all the same
        logger.warning("Could not clear the flag of new runs (%s)", exc)
        return None


_CLAIM_SQL = """SET LOCAL synchronous_commit TO OFF;
UPDATE {table} SET {attempts} = LEAST({attempts} + 1, 32767), {swept} = %s WHERE {key} IN
(SELECT {key} FROM {table} WHERE {status} = %s AND {parent} IS NULL AND {swept} IS NULL
 ORDER BY {updated} LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING {key}"""


def claim_new(*, limit: int, now=None) -> list[str]:
    """Claim up to ``limit`` top-level pending runs never queued (``swept_at`` empty) that no
    other worker holds, oldest first: their slice attempt counted and ``swept_at`` set, committed
    at once. Returns their ids, oldest first. On PostgreSQL with the fast SQL on, one raw
    statement committed without waiting for the disk (as ``slices.count_attempt``)."""
    now = now or timezone.now()
    if connection.vendor == "postgresql" and fastsql.enabled() and not connection.in_atomic_block:
        meta = WorkflowExecution._meta
        names = {name: connection.ops.quote_name(meta.get_field(field).column) for name, field in (
            ("attempts", "slice_attempts"), ("swept", "swept_at"), ("key", "id"), ("status", "status"),
            ("parent", "parent"), ("updated", "updated_at"))}
        sql = _CLAIM_SQL.format(table=connection.ops.quote_name(meta.db_table), **names)
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, ExecutionStatus.PENDING.value, limit])
            cursor.nextset()
            return [str(row[0]) for row in cursor.fetchall()]
    with transaction.atomic():
        qs = WorkflowExecution.objects.filter(status=ExecutionStatus.PENDING, parent__isnull=True,
                                              swept_at__isnull=True).order_by("updated_at")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)[:limit]]
        WorkflowExecution.objects.filter(pk__in=ids).update(
            slice_attempts=Least(F("slice_attempts") + 1, 32767), swept_at=now)
    return ids


def slice_new(first=None, *, now=None) -> int:
    """What a ``workflows.slice_new`` message does: slice the run it names (``first``), clear the
    flag, claim a batch of the new runs that arrived meanwhile, ask for the next take when the
    batch is full, slice the batch; returns the slice count."""
    from workflows.engine import slices
    from workflows.engine.batches import slice_runs

    done = slices.slice_run(first, now=now) if first else 0
    arrived = _clear_flag()  # before the claim reads the rows (see the module docstring)
    if first and arrived == 1:  # no start found the flag while the first run waited: no claim
        return done
    limit = settings.GB_START_BATCH
    ids = claim_new(limit=limit, now=now)
    if len(ids) >= limit:
        hint()  # more may wait: the other worker takes them while this batch is sliced
    if len(ids) == 1:  # one run: the lone path costs less than a batch of one
        return done + slices.drain(ids, armed=set(ids), now=now)
    return done + (slice_runs(ids, now=now, counted=True) if ids else 0)
