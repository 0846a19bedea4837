"""Timers at scale: many runs whose timers fall due within one window, against PostgreSQL, Redis
and two Celery worker processes; this process is the sweeper (the frequent timer tick of beat,
``engine.sweep_timers``), so the cost of each tick is measured where it runs.

    python bench/timers.py [--timers N] [--window S] [--tick S] [--sweepers K]

Defaults: 100,000 timers due evenly within 60 s, a tick every ``GB_SWEEP_TIMER_SECONDS`` (0.25 s),
two sweepers (threads, each ticking on its own: the two never claim the same run). Uses the
database and helpers of ``bench/workflows.py``. Prints JSON lines:

- ``timer_fires``: how many timers fired exactly once, more than once, never (after the window
  and a drain of up to 120 s). A fire is counted by a trigger on every committed change of a
  run from waiting to completed (``bench_timer_fires``), so a timer fired twice is counted twice.
- ``timer_lateness``: from each timer's due time (``resume_at``) to its run's ``finished_at``
  (the run ends straight after its ``WAIT``): median, p95, p99, max (ms).
- ``sweep_tick``: the time of each tick that claimed something (ms: median, p95, max) and the
  rows it claimed (``rows_median``, ``rows_max``), with ``ticks``.

The timers are set up by inserting copies of one run that a slice left waiting on ``WAIT``
(same state, each its own id and due time), one statement for all of them.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.workflows import bench_lock, create_db, emit, start_worker  # noqa: E402  (shared helpers)


def _arg(flag, default, kind=float):
    return kind(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else default


TIMERS = _arg("--timers", 100_000, int)
WINDOW = _arg("--window", 60.0)
SWEEPERS = _arg("--sweepers", 2, int)
SCRIPT = 'WAIT 3600\nTALK "fired"\n'

FIRES_SQL = """
CREATE TABLE IF NOT EXISTS bench_timer_fires (run uuid, due timestamptz, fired timestamptz);
TRUNCATE bench_timer_fires;
CREATE OR REPLACE FUNCTION bench_timer_fired() RETURNS trigger AS $$
BEGIN INSERT INTO bench_timer_fires VALUES (NEW.id, OLD.resume_at, NEW.finished_at); RETURN NULL; END $$
LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bench_timer_fired ON workflow_executions;
CREATE TRIGGER bench_timer_fired AFTER UPDATE ON workflow_executions FOR EACH ROW
  WHEN (OLD.status = 'waiting' AND OLD.waiting_for = 'timer' AND NEW.status = 'completed')
  EXECUTE FUNCTION bench_timer_fired();
"""


def main():
    create_db()
    lock = bench_lock()
    import django
    django.setup()
    import hashlib
    import logging

    from django.conf import settings
    from django.db import connection, connections

    from generalbots.bots.models import Bot, BotScript
    from generalbots.core.models import Organization
    from workflows import engine
    from workflows.models import WorkflowExecution
    from workflows.services import execution_start

    logging.getLogger("workflows").setLevel(logging.WARNING)
    tick = _arg("--tick", settings.CELERY_BEAT_SCHEDULE["workflows-sweep-timers"]["schedule"])
    lock.execute("TRUNCATE workflow_executions CASCADE")
    org, _ = Organization.objects.get_or_create(slug="bench-timers", defaults={"name": "Bench timers"})
    bot, _ = Bot.objects.get_or_create(name="bench-timer", defaults={"organization": org, "config": {}})
    digest = hashlib.sha256(SCRIPT.encode()).hexdigest()
    BotScript.objects.get_or_create(bot=bot, name="start", source_hash=digest,
                                    defaults={"path": "bench-timer.gbdialog/start.bas", "source": SCRIPT,
                                              "problems": []})
    template = execution_start(bot=bot)
    engine.slice_run(template.pk)  # this process slices it: no worker runs yet
    template.refresh_from_db()
    assert template.waiting_for == "timer", template.status

    meta = WorkflowExecution._meta
    columns = [f.column for f in meta.concrete_fields]
    computed = {"id": "gen_random_uuid()", "resume_at": "due", "created_at": "now()", "updated_at": "now()",
                "wait": "jsonb_set(wait, '{resume_at}', to_jsonb(due::text))"}
    select = ", ".join(computed.get(c, f'"{c}"') for c in columns)
    start_at = time.time() + 20 + TIMERS / 20_000  # time to insert, start the workers and warm them
    with connection.cursor() as cur:
        cur.execute(FIRES_SQL)
        cur.execute(f'INSERT INTO workflow_executions ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
                    f"SELECT {select} FROM workflow_executions, LATERAL (SELECT to_timestamp(%s + (i - 1) * %s / %s) "
                    f"AS due FROM generate_series(1, %s) i) d WHERE id = %s",
                    [start_at, WINDOW, TIMERS, TIMERS, template.pk])
        cur.execute("DELETE FROM workflow_executions WHERE id = %s", [template.pk])
    lock.execute("VACUUM ANALYZE workflow_executions")

    workers = [start_worker(f"tm{i}-{uuid.uuid4().hex[:6]}") for i in (1, 2)]  # no beat: this process sweeps
    ticks: list[tuple[float, int]] = []
    stop = threading.Event()

    def sweeper():
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                claimed = engine.sweep_timers()
                took = time.perf_counter() - t0
                if claimed:
                    ticks.append((took * 1000, claimed))
                stop.wait(max(0.0, tick - took))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweeper, daemon=True) for _ in range(SWEEPERS)]
    try:
        time.sleep(max(0.0, start_at - time.time() - 1))
        for thread in threads:
            thread.start()
        end = start_at + WINDOW + 120
        while time.time() < end:
            time.sleep(1)
            with connection.cursor() as cur:
                cur.execute("SELECT count(DISTINCT run) FROM bench_timer_fires")
                if cur.fetchone()[0] >= TIMERS:
                    break
        stop.set()
        for thread in threads:
            thread.join(10)
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1) "
                        "FROM (SELECT run, count(*) AS n FROM bench_timer_fires GROUP BY run) f")
            once, twice = cur.fetchone()
            cur.execute("SELECT extract(epoch FROM fired - due) * 1000 FROM bench_timer_fires")
            late = [row[0] for row in cur.fetchall()]
            cur.execute("DROP TRIGGER IF EXISTS bench_timer_fired ON workflow_executions")
        print(__import__("json").dumps({"name": "timer_fires", "unit": "runs", "timers": TIMERS, "window_s": WINDOW,
                                        "once": once, "more_than_once": twice, "never": TIMERS - once - twice}),
              flush=True)
        if late:
            late = sorted(float(v) for v in late)
            emit("timer_lateness", "ms", late, p99=round(late[min(len(late) - 1, int(len(late) * 0.99))], 1),
                 max=round(late[-1], 1), timers=TIMERS, window_s=WINDOW)
        if ticks:
            took, rows = [t for t, _ in ticks], [r for _, r in ticks]
            emit("sweep_tick", "ms", took, max=round(max(took), 2), ticks=len(ticks),
                 rows_median=statistics.median(rows), rows_max=max(rows), tick_s=tick, sweepers=SWEEPERS)
    finally:
        import os
        import signal
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait(20)
        lock.execute("TRUNCATE workflow_executions CASCADE")


if __name__ == "__main__":
    main()
