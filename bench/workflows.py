"""Benchmarks of the workflow engine against hand-written Celery in the same run.

    python bench/workflows.py [--quick] [--only SECTION[,SECTION...]] [--repeat N] [--peers]

Sections: ``steps``, ``parallel``, ``here``, ``latency``, ``rss``, ``kill`` (all by default);
``--repeat`` runs the chosen sections N times with the same workers (``--only kill --repeat 5``:
five kills, each with two fresh workers).

Needs PostgreSQL and Redis (``scripts/ensure-services.sh``); uses the database
``generalbots_bench`` (created and migrated; its runs are emptied at the start) and Redis
database 3 (``GB_BENCH_REDIS_URL``: its workers never answer the test suite's worker pings), and
starts two Celery worker processes (with the sweeper in one). The end of a flow, ours or the
reference, is seen through one PostgreSQL NOTIFY sent by a trigger when it commits
(``NOTIFY_SQL``): no polling loop competes with the workers for the two cores. Prints one JSON
object per measurement: name, unit, median, p95, n and, for ours, ``reference`` (the Celery
figure measured in the same run) and ``ratio`` = ours / reference.

- ``workflow_step_10`` / ``workflow_step_50``: per-step time of a workflow of 10 / 50 no-op
  ``STEP n: BOT`` steps, from start to completed; reference ``celery_chain_step``: a chain of
  no-op tasks each writing a 1 KB state row, per step.
- ``workflow_parallel_2`` / ``_10``: PARALLEL of 2 / 10 branches plus the join; reference a
  chord of the same width with state writes.
- ``workflow_step_10_here`` ... ``workflow_parallel_10_here`` (section ``here``): the same four
  shapes started with ``execution_start(here=True)`` (the API's ``wait``): this process runs
  the first slice itself, in the transaction of the run's INSERT, as DBOS and LangGraph run
  theirs in the caller's process; no message, no worker (a run that suspended would go on in
  them). Each paired with its Celery reference again, and with the peers' ratios as the rows
  above.
- ``workflow_start_latency``: start (commit) to the first step running.
- ``worker_rss``: RSS of the worker processes before, halfway through and after many runs.
- ``kill_completion``: share of runs that complete when one worker is SIGKILLed midway; a row
  below 100 % carries ``unfinished``: the runs left, counted by status, waiting_for and
  slice_attempts, so a loss can be told from a slow recovery.

Ours and the reference's runs of a step or parallel row are taken in turns (``paired``), each
after ``GAP`` of idle, so both meet the same minutes of a machine whose speed drifts. Those rows
(ours and the reference's) also carry ``worker_cpu_ms``: the CPU time the two workers' processes
used per run (per step for the step rows), read from ``/proc`` around each run and its gap (10 ms
ticks, and the workers' background work meanwhile, such as the sweeper's tick, included: compare
it between rows of one run).

``--peers``: before our workers start, ``bench/peers.py`` runs in the peers' environment
(``make bench-peers``; ``GB_BENCH_PEERS_PYTHON`` names another interpreter) and prints its rows
(``dbos_step_10``, ``langgraph_parallel_2``, ...); then each of our ``workflow_step_*`` and
``workflow_parallel_*`` rows carries ``peers``: for DBOS and LangGraph, their median in this run and
``ratio`` = ours / theirs (below 1: ours is faster).

One bench at a time: every run of this script shares the database ``generalbots_bench`` and
empties its runs at the start, so a second bench started during the first would delete the
first one's runs (its ``kill_completion`` then reads 0 %) and both would share the two cores.
The bench therefore holds a PostgreSQL advisory lock (``BENCH_LOCK``) from before it empties
the tables to its end; a second one waits for it (and says so on stderr).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
QUICK = "--quick" in sys.argv
SECTIONS = ("steps", "parallel", "here", "latency", "rss", "kill")


def _arg(flag, default):
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


ONLY = _arg("--only", ",".join(SECTIONS)).split(",")
if set(ONLY) - set(SECTIONS):
    sys.exit(f"--only: unknown section(s) {sorted(set(ONLY) - set(SECTIONS))}; choose from {', '.join(SECTIONS)}")
REPEAT = int(_arg("--repeat", "1"))
PEERS = "--peers" in sys.argv
PEERS_PYTHON = os.environ.get("GB_BENCH_PEERS_PYTHON", str(REPO / ".venv-peers" / "bin" / "python"))
BENCH_LOCK = 2020_0001  # pg_advisory_lock key held for a whole bench (see the module docstring)
DB = os.environ.get("GB_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/generalbots_bench")
ENV = {**os.environ, "DATABASE_URL": DB, "REDIS_URL": os.environ.get("GB_BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
       "GB_TASK_QUEUE": f"bench-{os.getpid()}", "DJANGO_SETTINGS_MODULE": "generalbots.settings.base",
       "GB_DATA_DIR": f"/tmp/gb-bench-{os.getpid()}", "DB_CONN_MAX_AGE": "600"}
os.environ.update(ENV)
Path(ENV["GB_DATA_DIR"]).mkdir(exist_ok=True)


# How the bench sees the end of a flow without polling the database from a busy loop (which, on
# two cores, slows what it measures): one NOTIFY when it commits, the same for both sides.
# Ours: a top-level run reaching an end status. Reference: the row of the chain's last task
# (it writes step 0; the steps count down) or of the chord's join (step -1).
NOTIFY_SQL = """
CREATE OR REPLACE FUNCTION bench_notify_run() RETURNS trigger AS $$
BEGIN PERFORM pg_notify('bench_done', 'run:' || NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION bench_notify_flow() RETURNS trigger AS $$
BEGIN PERFORM pg_notify('bench_done', 'flow:' || NEW.flow); RETURN NULL; END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bench_run_done ON workflow_executions;
CREATE TRIGGER bench_run_done AFTER UPDATE ON workflow_executions FOR EACH ROW
  WHEN (NEW.parent_id IS NULL AND NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status <> NEW.status)
  EXECUTE FUNCTION bench_notify_run();
DROP TRIGGER IF EXISTS bench_flow_done ON bench_state;
CREATE TRIGGER bench_flow_done AFTER INSERT ON bench_state FOR EACH ROW WHEN (NEW.step <= 0)
  EXECUTE FUNCTION bench_notify_flow();
"""


def emit(name, unit, values, **extra):
    values = sorted(values)
    row = {"name": name, "unit": unit, "median": round(statistics.median(values), 4),
           "p95": round(values[min(len(values) - 1, int(len(values) * 0.95))], 4), "n": len(values), **extra}
    print(json.dumps(row), flush=True)
    return row


def create_db():
    import psycopg
    base = DB.rsplit("/", 1)
    with psycopg.connect(base[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base[1]]).fetchone():
            conn.execute(f'CREATE DATABASE "{base[1]}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=ENV, check=True)


def bench_lock():
    """An autocommit connection to the bench database holding ``BENCH_LOCK`` (waiting for another
    bench to end first), until it closes."""
    import psycopg
    conn = psycopg.connect(DB.replace("postgres://", "postgresql://", 1), autocommit=True)
    if not conn.execute("SELECT pg_try_advisory_lock(%s)", [BENCH_LOCK]).fetchone()[0]:
        print("another bench is running on this database; waiting for it to end", file=sys.stderr, flush=True)
        conn.execute("SELECT pg_advisory_lock(%s)", [BENCH_LOCK])
    return conn


def start_worker(name, beat=False, include="bench.workflow_reference"):
    cmd = [sys.executable, "-m", "celery", "-A", "generalbots", "--result-backend", ENV["REDIS_URL"], "worker", "-c", "1", "-I", include,
           "--loglevel=ERROR", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
    if beat:
        cmd += ["-B", "-s", f"{ENV['GB_DATA_DIR']}/beat-{name}"]
    return subprocess.Popen(cmd, cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_workers(procs) -> None:
    """SIGTERM each process of ``procs`` with its process group (a worker and its pool children,
    beat), skipping those already gone."""
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def rss_kb(proc) -> int:
    pids = [proc.pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                         text=True).stdout.split()]
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def cpu_ms(procs) -> float:
    """CPU time (user + system, ms) used so far by the worker processes ``procs`` and their
    children (pool children, beat): a figure the neighbours' load changes far less than wall time."""
    ticks = 0
    for proc in procs:
        pids = [proc.pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                             text=True).stdout.split()]
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
            except (FileNotFoundError, IndexError):
                pass
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


GAP = 0.03  # s of idle between two measured runs: what a run's workers do after its end is not the next one's


def paired(workers, reps: int, mine, theirs) -> tuple[list[float], list[float], tuple[float, float]]:
    """``reps`` runs of ``mine()`` and of ``theirs(k)`` (each returns its seconds), taken in turns
    (ours first in even rounds, the reference first in odd ones), each after ``GAP`` of idle, so
    both see the same minutes of a machine whose speed drifts; returns both lists of seconds and
    the workers' CPU per run (ms) of each side, each run's CPU read around it and its gap."""
    times: tuple[list, list] = ([], [])
    cpu = [0.0, 0.0]
    for k in range(reps):
        for side in ((0, 1) if k % 2 == 0 else (1, 0)):
            time.sleep(GAP)
            c0 = cpu_ms(workers)
            times[side].append(mine() if side == 0 else theirs(k))
            time.sleep(GAP)
            cpu[side] += cpu_ms(workers) - c0
    return times[0], times[1], (cpu[0] / reps, cpu[1] / reps)


def run_peers() -> dict[str, dict]:
    """bench/peers.py's rows by name, measured now in the peers' environment (its lines echoed)."""
    if not Path(PEERS_PYTHON).exists():
        sys.exit(f"--peers: no peers environment at {PEERS_PYTHON}; run `make bench-peers` first")
    out = subprocess.run([PEERS_PYTHON, str(REPO / "bench" / "peers.py"), *(["--quick"] if QUICK else [])],
                         cwd=REPO, capture_output=True, text=True, timeout=1800)
    if out.returncode:
        sys.exit(f"bench/peers.py failed ({out.returncode}):\n{out.stderr[-3000:]}")
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    for row in rows:
        print(json.dumps(row), flush=True)
    return {row["name"]: row for row in rows}


def peer_ratios(peers: dict[str, dict], shape: str, mine: float) -> dict:
    """``{"peers": {peer: {"median", "ratio"}}}`` for our row of ``shape`` (``step_10``...), or {}."""
    found = {row["peer"]: {"median": row["median"], "ratio": round(mine / row["median"], 3)}
             for name, row in peers.items() if name == f"{row['peer']}_{shape}"}
    return {"peers": found} if found else {}


def reset_tables(conn) -> None:
    """The reference's ``bench_state``, both end-of-flow triggers, and empty run tables."""
    conn.execute("CREATE TABLE IF NOT EXISTS bench_state (id bigserial primary key, flow text, step int, state text)")
    conn.execute("TRUNCATE bench_state")
    conn.execute(NOTIFY_SQL)
    # Start from empty run tables: runs of earlier bench runs (and their dead row versions, where
    # autovacuum is off, as on some CI machines) would slow the sweeper's scans in this one.
    # No VACUUM or ANALYZE after it: TRUNCATE leaves the tables' size unknown to the planner, and
    # stats saying "empty" made each worker connection plan its foreign-key checks (the child
    # runs' parent and root, the steps' run and child) as sequential scans, kept for the
    # connection's life; with autovacuum off nothing re-planned them, so each check read the
    # whole table: 0.08 ms and 62 buffers each over the first 100 runs of 10 steps, 0.92 ms and
    # 788 buffers by the 700th (pg_stat_statements).
    conn.execute("TRUNCATE workflow_executions CASCADE")


def parallel_source(width: int) -> str:
    """The script of the ``workflow_parallel_<width>`` rows: a PARALLEL of ``width`` one-line
    branches and the join."""
    return "STEP 1: PARALLEL\n" + "".join(f"  BRANCH B{i}: x{i} = {i}\n" for i in range(width)) + "END PARALLEL\n"


def wait_notified(listener, seen: set[str], key: str, timeout: float = 60) -> None:
    """Block until the notification ``key`` (sent when its transaction commits) has come on
    ``listener`` (a connection that LISTENs); ``seen`` keeps those that came first, for later."""
    end = time.monotonic() + timeout
    while key not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"{key} did not finish")
        for note in listener.notifies(timeout=left, stop_after=1):
            seen.add(note.payload)
    seen.discard(key)


def bench_bot(org, name: str, source: str):
    """The bot ``name`` of ``org`` whose current start script is ``source`` (made or updated)."""
    import hashlib

    from generalbots.bots.models import Bot, BotScript

    b, _ = Bot.objects.get_or_create(name=name, defaults={"title": name, "organization": org})
    digest = hashlib.sha256(source.encode()).hexdigest()
    BotScript.objects.filter(bot=b, name="start").exclude(source_hash=digest).update(is_current=False)
    BotScript.objects.get_or_create(bot=b, name="start", source_hash=digest,
                                    defaults={"path": f"{name}.gbdialog/start.bas", "source": source})
    return b


def bench_setup(steps: tuple[int, ...]):
    """What a bench with its own workers starts with: the database migrated, ``BENCH_LOCK`` held,
    the tables reset, Django set up, and the bots ``noop`` and ``flow<n>`` (n no-op BOT steps) of
    the organization ``bench``. Returns the connection holding the lock and ``{n: bot}``."""
    create_db()
    lock = bench_lock()
    reset_tables(lock)
    import django

    django.setup()
    from generalbots.core.models import Organization

    org, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    bench_bot(org, "noop", "x = 1\n")
    return lock, {n: bench_bot(org, f"flow{n}", "".join(f'STEP {i}: BOT "noop" "go"\n' for i in range(1, n + 1)))
                  for n in steps}


def main():
    create_db()
    listener = bench_lock()
    import django
    django.setup()
    from django.db import connection
    from celery import chain, chord
    from django.db.models import Count

    from generalbots.celery import app
    app.conf.result_backend = ENV["REDIS_URL"]

    from generalbots.core.models import Organization
    from workflows.choices import ExecutionStatus
    from workflows.models import WorkflowExecution, WorkflowStep
    from workflows.services import execution_start
    from bench.workflow_reference import chain_step, chord_branch, chord_join

    reset_tables(listener)
    listener.execute("LISTEN bench_done")
    done: set[str] = set()
    org, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench"})

    def bot(name, source):
        return bench_bot(org, name, source)

    bot("noop", "x = 1\n")
    flows = {n: bot(f"flow{n}", "".join(f'STEP {i}: BOT "noop" "go"\n' for i in range(1, n + 1))) for n in (1, 10, 50)}
    pars = {w: bot(f"par{w}", parallel_source(w)) for w in (2, 10)}

    peers = run_peers() if PEERS else {}  # before our workers start: the two cores are theirs
    workers = [start_worker("w1", beat=True), start_worker("w2")]
    time.sleep(6)

    def wait_for(key, timeout=60):
        wait_notified(listener, done, key, timeout)

    def wait_run(pk, timeout=60):
        wait_for(f"run:{pk}", timeout)

    def poll_run(pk, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            status = WorkflowExecution.objects.filter(pk=pk).values_list("status", flat=True).first()
            if status in ExecutionStatus.finished():
                return status
            time.sleep(0.01)
        raise RuntimeError(f"run {pk} did not finish")

    def ours(b):
        t0 = time.perf_counter()
        run = execution_start(bot=b)
        wait_run(run.pk)
        return time.perf_counter() - t0, run

    def ours_here(b):
        t0 = time.perf_counter()
        run = execution_start(bot=b, here=True)
        wait_run(run.pk)  # its NOTIFY arrived with the slice's commit, before the start returned
        return time.perf_counter() - t0

    def wait_rows(flow, count, timeout=60):
        wait_for(f"flow:{flow}", timeout)
        with connection.cursor() as cur:  # after the fact: every step of the reference ran
            cur.execute("SELECT count(*) FROM bench_state WHERE flow = %s", [flow])
            if cur.fetchone()[0] != count:
                raise RuntimeError(f"reference flow {flow} ended with missing steps")

    def ref_chain(n, k):
        flow = f"chain{n}-{k}-{time.time_ns()}"
        t0 = time.perf_counter()
        chain(chain_step.si(flow, i) for i in reversed(range(n))).apply_async()  # the last writes step 0
        wait_rows(flow, n)
        return time.perf_counter() - t0

    def ref_chord(w, k):
        flow = f"chord{w}-{k}-{time.time_ns()}"
        t0 = time.perf_counter()
        chord([chord_branch.si(flow, i + 1) for i in range(w)], chord_join.s(flow)).apply_async()  # join: -1
        wait_rows(flow, w + 1)
        return time.perf_counter() - t0

    reps = 5 if QUICK else 20

    def steps():
        for _ in range(2):  # warm up both
            ours(flows[10]); ref_chain(10, -1)
        for n in (10, 50):
            mine, ref, cpu = paired(workers, reps, lambda: ours(flows[n])[0], lambda k: ref_chain(n, k))
            mine, ref = [t * 1000 / n for t in mine], [t * 1000 / n for t in ref]
            r = statistics.median(ref)
            emit("celery_chain_step", "ms", ref, steps=n, worker_cpu_ms=round(cpu[1] / n, 3))
            emit(f"workflow_step_{n}", "ms", mine, reference=round(r, 4), ratio=round(statistics.median(mine) / r, 3),
                 worker_cpu_ms=round(cpu[0] / n, 3), **peer_ratios(peers, f"step_{n}", statistics.median(mine)))

    def parallel():
        try:
            ref_chord(2, -1)
            chord_ok = True
        except RuntimeError:
            chord_ok = False
        ours(pars[2])  # warm up
        for w in (2, 10):
            if chord_ok:
                mine, ref, cpu = paired(workers, reps, lambda: ours(pars[w])[0], lambda k: ref_chord(w, k))
                mine, ref = [t * 1000 for t in mine], [t * 1000 for t in ref]
                r = statistics.median(ref)
                emit("celery_chord", "ms", ref, branches=w, worker_cpu_ms=round(cpu[1], 3))
                extra = {"reference": round(r, 4), "ratio": round(statistics.median(mine) / r, 3)}
                mine_cpu = cpu[0]
            else:
                c0 = cpu_ms(workers)
                mine = [ours(pars[w])[0] * 1000 for _ in range(reps)]
                mine_cpu = (cpu_ms(workers) - c0) / reps
                extra = {}
            emit(f"workflow_parallel_{w}", "ms", mine, **extra, worker_cpu_ms=round(mine_cpu, 3),
                 **peer_ratios(peers, f"parallel_{w}", statistics.median(mine)))

    def here():
        ours_here(flows[10]); ours_here(pars[2])  # warm up
        for shape, b, per, ref in (("step_10", flows[10], 10, lambda k: ref_chain(10, k)),
                                   ("step_50", flows[50], 50, lambda k: ref_chain(50, k)),
                                   ("parallel_2", pars[2], 1, lambda k: ref_chord(2, k)),
                                   ("parallel_10", pars[10], 1, lambda k: ref_chord(10, k))):
            mine, theirs, cpu = paired(workers, reps, lambda: ours_here(b), ref)
            mine, theirs = [t * 1000 / per for t in mine], [t * 1000 / per for t in theirs]
            r = statistics.median(theirs)
            emit(f"workflow_{shape}_here", "ms", mine, reference=round(r, 4),
                 ratio=round(statistics.median(mine) / r, 3), worker_cpu_ms=round(cpu[0] / per, 3),
                 **peer_ratios(peers, shape, statistics.median(mine)))

    def latency():
        lat = []
        for _ in range(reps * 2):
            t0 = time.time()
            run = execution_start(bot=flows[1])
            wait_run(run.pk)
            first = WorkflowStep.objects.filter(execution=run).order_by("id").values_list("started_at", flat=True).first()
            lat.append((first.timestamp() - t0) * 1000)
        emit("workflow_start_latency", "ms", lat)

    def rss():
        many = 500 if QUICK else 10000
        before = [rss_kb(w) for w in workers]
        middle = None
        for half in (1, 2):  # RSS at the half too: growth that stops after warming up is not a leak
            ids = [execution_start(bot=flows[1]).pk for _ in range(many // 2)]
            for pk in ids:
                poll_run(pk, timeout=600)
            if half == 1:
                middle = [rss_kb(w) for w in workers]
        after = [rss_kb(w) for w in workers]
        print(json.dumps({"name": "worker_rss", "unit": "KB", "median": statistics.median(after), "p95": max(after),
                          "n": many, "before": before, "middle": middle, "after": after,
                          "growth_second_half": [a - m for a, m in zip(after, middle)]}), flush=True)

    def kill():
        count = 200 if QUICK else 1000
        ids = [execution_start(bot=flows[10]).pk for _ in range(count)]
        time.sleep(0.5)
        os.killpg(workers[1].pid, signal.SIGKILL)
        workers[1].wait()
        end = time.monotonic() + (120 if QUICK else 600)
        completed = 0
        while time.monotonic() < end:
            completed = WorkflowExecution.objects.filter(pk__in=ids, status=ExecutionStatus.COMPLETED).count()
            if completed == count:
                break
            time.sleep(0.5)
        row = {"name": "kill_completion", "unit": "%", "median": round(100 * completed / count, 2),
               "p95": round(100 * completed / count, 2), "n": count}
        if completed < count:  # what is left, to tell a lost run from a slow recovery
            left = (WorkflowExecution.objects.filter(pk__in=ids).exclude(status=ExecutionStatus.COMPLETED)
                    .values("status", "waiting_for", "slice_attempts").annotate(runs=Count("pk")).order_by())
            row["unfinished"] = [*left, {"missing": count - WorkflowExecution.objects.filter(pk__in=ids).count()}]
        print(json.dumps(row), flush=True)
        workers[1] = start_worker("w2")  # for the next repetition
        time.sleep(6)

    chosen = {"steps": steps, "parallel": parallel, "here": here, "latency": latency, "rss": rss, "kill": kill}
    try:
        for _ in range(REPEAT):
            for name in SECTIONS:
                if name in ONLY:
                    chosen[name]()
    finally:
        stop_workers(workers)

if __name__ == "__main__":
    main()
