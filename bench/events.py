"""Event bus benchmark: from PUBLISH (the service call) to the waiting run resumed, against
PostgreSQL, Redis and two Celery worker processes (one with beat: the sweeper).

    python bench/events.py [--quick] [--fanout N[,N...]]

``--fanout 1000,10000``: only the broadcast, once for each number of waiting runs.

Uses the helpers and the database of ``bench/workflows.py``. Prints one JSON object per
measurement (name, unit, median, p95, n, waiting):

- ``event_resume_one_of_n``: ``waiting`` runs wait for ``pay`` ``WHERE k = me``; one event for
  one of them is published; latency from before ``event_publish`` to that run's ``finished_at``
  (it completes right after the wait). Each sample is a fresh run among ``waiting - 1`` others.
- ``event_resume_broadcast``: ``waiting`` runs all wait for ``go``; one event wakes them all;
  latency per run (median / p95 over every run), plus ``all_ms``: until the last one resumed.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import datetime, timezone

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.workflows import QUICK, bench_lock, create_db, emit, start_worker  # noqa: E402  (shared helpers)

FANOUT = [int(n) for n in sys.argv[sys.argv.index("--fanout") + 1].split(",")] if "--fanout" in sys.argv else []
SCRIPT_ONE = 'd = WAIT FOR EVENT "pay" TIMEOUT 3600 WHERE k = me\n'
SCRIPT_ALL = 'd = WAIT FOR EVENT "go" TIMEOUT 3600\n'


def main():
    create_db()
    lock = bench_lock()  # noqa: F841  (held until the end: bench/workflows.py empties the same tables)
    import django
    django.setup()
    from django.db import connection

    from generalbots.bots.models import Bot, BotScript
    from generalbots.core.models import Organization
    from workflows.choices import ExecutionStatus
    from workflows.events import event_publish
    from workflows.models import WorkflowEvent, WorkflowExecution
    from workflows.services import execution_start

    org, _ = Organization.objects.get_or_create(slug="bench-events", defaults={"name": "Bench events"})

    def bot_with(name, source):
        Bot.objects.filter(name=name).delete() if not WorkflowExecution.objects.filter(bot__name=name).exists() else None
        bot, _ = Bot.objects.get_or_create(name=name, defaults={"organization": org, "config": {}})
        BotScript.objects.filter(bot=bot).delete()
        BotScript.objects.create(bot=bot, name="start", path=f"{name}.gbdialog/start.bas", source=source,
                                 source_hash=hashlib.sha256(source.encode()).hexdigest(), problems=[])
        return bot

    def clear():
        WorkflowExecution.objects.filter(bot__organization=org).delete()
        WorkflowEvent.objects.filter(organization=org).delete()

    def start_waiting(bot, variables_list, timeout=300):
        ids = [execution_start(bot=bot, variables=v).pk for v in variables_list]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if WorkflowExecution.objects.filter(pk__in=ids, status=ExecutionStatus.WAITING).count() == len(ids):
                return ids
            time.sleep(0.02)
        raise RuntimeError("runs did not reach their wait")

    def finished(ids, bot, timeout=120):
        """The runs' finished_at once all completed. The latency is read from finished_at, so a
        slower poll for many runs (a count of the bot's completed runs on its (bot, status)
        index every 50–250 ms, not every row every 2 ms, nor a count over a list of 10,000 ids)
        only spares the two cores the workers need. ``clear()`` left the bot no other runs."""
        deadline = time.monotonic() + timeout
        completed = WorkflowExecution.objects.filter(bot=bot, status=ExecutionStatus.COMPLETED)
        while time.monotonic() < deadline:
            if (completed.filter(pk=ids[0]) if len(ids) == 1 else completed).count() == len(ids):
                return list(completed.filter(pk__in=ids).values_list("finished_at", flat=True))
            time.sleep(0.002 if len(ids) == 1 else min(0.25, 0.05 + len(ids) / 50_000))
        raise RuntimeError("runs did not resume")

    workers = [start_worker(f"ev1-{uuid.uuid4().hex[:6]}", beat=True), start_worker(f"ev2-{uuid.uuid4().hex[:6]}")]
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        one = bot_with("bench-ev-one", SCRIPT_ONE)
        every = bot_with("bench-ev-all", SCRIPT_ALL)
        clear()
        start_waiting(one, [{"me": -1}], timeout=60)  # warm the workers
        samples = 10 if QUICK else 40
        for waiting in () if FANOUT else ((1, 100) if QUICK else (1, 100, 1000)):
            clear()
            if waiting > 1:
                start_waiting(one, [{"me": -k} for k in range(1, waiting)])
            lat = []
            for i in range(samples):
                [pk] = start_waiting(one, [{"me": i}])
                time.sleep(0.01)
                t0 = datetime.now(timezone.utc)
                event_publish(organization=org, name="pay", data={"k": i})
                [done] = finished([pk], one)
                lat.append((done - t0).total_seconds() * 1000)
            emit("event_resume_one_of_n", "ms", lat, waiting=waiting)

        shapes = ((1, 10), (100, 2)) if QUICK else ((1, 30), (100, 3), (1000, 1))
        for waiting, rounds in [(n, 1) for n in FANOUT] or shapes:
            lat, alls = [], []
            for _ in range(rounds):
                clear()
                ids = start_waiting(every, [{}] * waiting, timeout=600)
                time.sleep(0.05)
                t0 = datetime.now(timezone.utc)
                event_publish(organization=org, name="go", data={})
                done = finished(ids, every, timeout=300)
                per = [(d - t0).total_seconds() * 1000 for d in done]
                lat += per
                alls.append(max(per))
            emit("event_resume_broadcast", "ms", lat, waiting=waiting, all_ms=round(max(alls), 1))
        clear()
    finally:
        for w in workers:
            import os
            import signal
            os.killpg(w.pid, signal.SIGTERM)
            w.wait(20)


if __name__ == "__main__":
    main()
