"""Timers at scale: many runs whose timers fall due within one window, against PostgreSQL, Redis
and two Celery workers as production runs them: one of them with beat (its real schedule: the
timer tick ``workflows.sweep_timers`` every ``GB_SWEEP_TIMER_SECONDS``, the full sweep every
second), and each worker that takes a tick claims and resumes the due timers itself
(``workflows.engine.batches.sweep_timers``). This process only sets up and watches.

    python bench/timers.py [--quick] [--timers N] [--window S] [--tick S]

Defaults: 100,000 timers due evenly within 60 s (``--quick``: 10,000 within 10 s), a tick every
0.25 s. Uses the database and helpers of ``bench/workflows.py``. Prints JSON lines:

- ``timer_fires``: how many timers fired exactly once, more than once, never (after the window
  and a drain of up to 120 s). A fire is counted by a trigger on every committed change of a
  run from waiting to completed (``bench_timer_fires``), so a timer fired twice is counted twice.
- ``timer_lateness``: from each timer's due time (``resume_at``) to its run's ``finished_at``
  (the run ends straight after its ``WAIT``): median, p95, p99, max (ms).
- ``timer_fire_rate``: timers fired per second from the first due time to the last fire, and
  ``worker_cpu_ms``: CPU time of the worker processes (both, with their pool children and beat)
  per timer fired, from /proc — a figure the neighbours on a shared machine disturb far less than
  the lateness.
- ``sweep_tick_idle``: what a tick costs when nothing is due (ms of this process calling
  ``sweep_timers`` before the window: ``median``, ``cpu_ms``, ``statements``).
- ``timer_claim``: one claim of a batch (``GB_SLICE_BATCH`` rows, their attempt counted) out of
  as many due timers as the bench set up, with the workers stopped (ms; each claim rolled back).

The timers are set up by inserting copies of one run that a slice left waiting on ``WAIT``
(same state, each its own id and due time), one statement for all of them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import workflows as bw  # noqa: E402  (sets the bench's environment first)
from bench.workflows import bench_lock, create_db, emit, start_worker  # noqa: E402  (shared helpers)


def _arg(flag, default, kind=float):
    return kind(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else default


QUICK = "--quick" in sys.argv
TIMERS = _arg("--timers", 10_000 if QUICK else 100_000, int)
WINDOW = _arg("--window", 10.0 if QUICK else 60.0)
TICK = _arg("--tick", float(os.environ.get("GB_SWEEP_TIMER_SECONDS", "0.25")))
SCRIPT = 'WAIT 3600\nTALK "fired"\n'
bw.ENV["GB_SWEEP_TIMER_SECONDS"] = os.environ["GB_SWEEP_TIMER_SECONDS"] = str(TICK)

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


def cpu_seconds(worker: subprocess.Popen) -> float:
    """User + system CPU of a worker and every process under it (pool child, beat)."""
    pids, todo = [], [worker.pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                text=True).stdout.split()]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main():
    create_db()
    lock = bench_lock()
    import django
    django.setup()
    import hashlib
    import logging

    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from generalbots.bots.models import Bot, BotScript
    from generalbots.core.models import Organization
    from workflows import engine
    from workflows.models import WorkflowExecution
    from workflows.services import execution_start

    logging.getLogger("workflows").setLevel(logging.WARNING)
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
    insert = (f'INSERT INTO workflow_executions ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
              f"SELECT {select} FROM workflow_executions, LATERAL (SELECT to_timestamp(%s + (i - 1) * %s / %s) "
              f"AS due FROM generate_series(1, %s) i) d WHERE id = %s")
    start_at = time.time() + 25 + TIMERS / 20_000  # time to insert, start the workers and warm them
    with connection.cursor() as cur:
        cur.execute(FIRES_SQL)
        cur.execute(insert, [start_at, WINDOW, TIMERS, TIMERS, template.pk])
        cur.execute("DELETE FROM workflow_executions WHERE id = %s", [template.pk])
    lock.execute("VACUUM ANALYZE workflow_executions")

    workers = [start_worker(f"tm1-{uuid.uuid4().hex[:6]}", beat=True), start_worker(f"tm2-{uuid.uuid4().hex[:6]}")]
    try:
        idle_ms, idle_cpu = [], []  # the tick when nothing is due (the workers tick too, as they would)
        with CaptureQueriesContext(connection) as idle_queries:
            for _ in range(200):
                w0, c0 = time.perf_counter(), time.process_time()
                assert engine.sweep_timers() == 0
                idle_ms.append((time.perf_counter() - w0) * 1000)
                idle_cpu.append((time.process_time() - c0) * 1000)
        time.sleep(max(0.0, start_at - time.time() - 2))
        cpu_before = sum(map(cpu_seconds, workers))
        end = start_at + WINDOW + 120
        while time.time() < end:
            time.sleep(1)
            with connection.cursor() as cur:
                cur.execute("SELECT count(DISTINCT run) FROM bench_timer_fires")
                if cur.fetchone()[0] >= TIMERS:
                    break
        cpu_after = sum(map(cpu_seconds, workers))
        load = Path("/proc/loadavg").read_text().split()[:3]
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1) "
                        "FROM (SELECT run, count(*) AS n FROM bench_timer_fires GROUP BY run) f")
            once, twice = cur.fetchone()
            cur.execute("SELECT extract(epoch FROM fired - due) * 1000, extract(epoch FROM fired) "
                        "FROM bench_timer_fires")
            rows = cur.fetchall()
            cur.execute("DROP TRIGGER IF EXISTS bench_timer_fired ON workflow_executions")
        print(json.dumps({"name": "timer_fires", "unit": "runs", "timers": TIMERS, "window_s": WINDOW,
                          "once": once, "more_than_once": twice, "never": TIMERS - once - twice,
                          "loadavg": load}), flush=True)
        if rows:
            late = sorted(float(v) for v, _ in rows)
            emit("timer_lateness", "ms", late, p99=round(late[min(len(late) - 1, int(len(late) * 0.99))], 1),
                 max=round(late[-1], 1), timers=TIMERS, window_s=WINDOW, tick_s=TICK, loadavg=load)
            last = max(float(f) for _, f in rows)
            rate = len(rows) / max(last - start_at, WINDOW)
            print(json.dumps({"name": "timer_fire_rate", "unit": "timers/s", "median": round(rate, 1), "n": len(rows),
                              "worker_cpu_ms": round(1000 * (cpu_after - cpu_before) / len(rows), 3),
                              "loadavg": load}), flush=True)
        statements = [q["sql"] for q in idle_queries.captured_queries]
        emit("sweep_tick_idle", "ms", idle_ms, cpu_ms=round(sorted(idle_cpu)[len(idle_cpu) // 2], 3),
             statements=len(statements) / len(idle_ms))
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
        for w in workers:
            w.wait(30)
    try:  # the claim alone, workers stopped: as many due timers as the run had, each claim undone
        lock.execute("TRUNCATE workflow_executions CASCADE")
        template = execution_start(bot=bot)
        engine.slice_run(template.pk)
        with connection.cursor() as cur:
            cur.execute(insert, [time.time() - 3600, WINDOW, TIMERS, TIMERS, template.pk])
            cur.execute("DELETE FROM workflow_executions WHERE id = %s", [template.pk])
        lock.execute("VACUUM ANALYZE workflow_executions")
        claims = []
        for _ in range(100):
            with transaction.atomic():
                w0 = time.perf_counter()
                ids = engine.claim_due_timers(limit=settings.GB_SLICE_BATCH, count=True)
                claims.append((time.perf_counter() - w0) * 1000)
                assert len(ids) == settings.GB_SLICE_BATCH
                transaction.set_rollback(True)
        emit("timer_claim", "ms", claims, rows=settings.GB_SLICE_BATCH, due=TIMERS)
    finally:
        lock.execute("TRUNCATE workflow_executions CASCADE")


if __name__ == "__main__":
    main()
