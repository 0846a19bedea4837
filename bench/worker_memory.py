"""Memory of each worker process, at rest and after many runs (``python bench/memory.py --workers``).

    python bench/memory.py --workers [--quick] [--runs N] [--every N] [--warm N]

Starts the two Celery workers of bench/workflows.py (prefork, one pool child each; ``w1`` also
runs beat, a process of its own) on its database and Redis, under its advisory lock. Measures
every process of each worker (``/proc/<pid>/status`` VmRSS; ``smaps_rollup``: PSS, which splits
the pages a forked child shares with its parent, and USS, its private pages):

- ``at_rest``: once the workers are up (django.setup and the task modules imported), no run yet;
- ``warm``: after ``--warm`` one-step workflows (500) started in one transaction: committed at
  once, so the pool children take them in full batches (``GB_START_BATCH``, the largest a take
  claims) and a take that comes back full publishes the next one from the child. The measured
  runs below reach those shapes only when the load lets starts pile up, at a moment that varies
  from run to run: a warm-up of 200 runs in one 500-run batch never did, and the first full batch
  then raised a child's high-water mark (about 0.4 MB of pymalloc pages) in the middle of the
  measurement (docs/guides/performance.md, "Worker memory");
- ``after``: after ``--runs`` more (10,000; 1,000 with ``--quick``);
- ``curve`` (with ``--every N``): every N of those runs, to see where growth stops.

``--tracemalloc``: the same phases with every worker process tracing its Python allocations
(``bench/heap_probe.py``; slower, and the tracing holds memory of its own, so no RSS rows):
prints ``worker_heap_growth`` per process, the traced memory at ``warm`` and ``after`` and the
ten source lines whose allocations grew most in between (``top``: ``where``, ``kb``, ``blocks``).

Prints one ``worker_process_rss`` row per process and phase (``median`` = RSS in KB, with
``pss_kb``, ``uss_kb``, ``worker``, ``process``: main or child, ``pid``), then
``worker_rss_growth``: per process, RSS after minus warm, in % of warm (``median`` over the
processes, ``p95`` the largest).
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workflows as bw  # noqa: E402  (sets the bench's environment first)

RUNS = int(bw._arg("--runs", "1000" if bw.QUICK else "10000"))
WARM = int(bw._arg("--warm", "500"))
BATCH = 500
TRACE = "--tracemalloc" in sys.argv
EVERY = int(bw._arg("--every", "0"))  # also an RSS row per process every EVERY runs (the curve)
HEAP_DIR = Path(bw.ENV["GB_DATA_DIR"]) / "heap"


def start_worker(name: str, beat: bool = False) -> subprocess.Popen:
    """``bench.workflows.start_worker``, with the heap probe in every process under ``--tracemalloc``."""
    if not TRACE:
        return bw.start_worker(name, beat=beat)
    HEAP_DIR.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "celery", "-A", "generalbots", "--result-backend", bw.ENV["REDIS_URL"], "worker",
           "-c", "1", "-I", "bench.workflow_reference,bench.heap_probe", "--loglevel=ERROR", "-n", f"{name}@%h",
           "--without-gossip", "--without-mingle", *(["-B", "-s", f"{bw.ENV['GB_DATA_DIR']}/beat-{name}"] if beat else [])]
    return subprocess.Popen(cmd, cwd=bw.REPO, env={**bw.ENV, "GB_BENCH_HEAP_DIR": str(HEAP_DIR)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def heap_snapshots(workers: dict[str, subprocess.Popen]) -> dict[int, tuple[str, str, object]]:
    """A tracemalloc snapshot of every process of every worker (SIGUSR2: ``bench/heap_probe.py``)."""
    import tracemalloc

    wanted = {pid: (name, role) for name, worker in workers.items() for role, pid in processes(worker)}
    taken = {}
    for pid in wanted:
        done = sorted(HEAP_DIR.glob(f"{pid}-*.done"))
        os.kill(pid, signal.SIGUSR2)
        end = time.monotonic() + 60
        while len(sorted(HEAP_DIR.glob(f"{pid}-*.done"))) == len(done):
            if time.monotonic() > end:
                raise RuntimeError(f"process {pid} wrote no heap snapshot within 60 s")
            time.sleep(0.2)
        path = HEAP_DIR / f"{pid}-{len(done) + 1}.snap"
        taken[pid] = (*wanted[pid], tracemalloc.Snapshot.load(str(path)))
    return taken


def heap_growth(warm: dict, after: dict) -> None:
    for pid, (name, role, snap) in after.items():
        if pid not in warm:
            continue
        before = warm[pid][2]
        diff = snap.compare_to(before, "lineno")
        total = [sum(stat.size for stat in s.statistics("filename")) for s in (before, snap)]
        top = [{"where": f"{Path(st.traceback[0].filename).name}:{st.traceback[0].lineno}"
                         f" ({'/'.join(Path(st.traceback[0].filename).parts[-3:-1])})",
                "kb": round(st.size_diff / 1024, 1), "blocks": st.count_diff} for st in diff[:10]]
        print(json.dumps({"name": "worker_heap_growth", "unit": "KB", "median": round((total[1] - total[0]) / 1024, 1),
                          "n": RUNS, "worker": name, "process": role, "pid": pid,
                          "warm_kb": round(total[0] / 1024), "after_kb": round(total[1] / 1024), "top": top}),
              flush=True)


def processes(worker: subprocess.Popen) -> list[tuple[str, int]]:
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    return [("main", worker.pid)] + [("child", int(pid)) for pid in children]


def memory_kb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    kb = {key: int(value.split()[0]) for key, value in rollup.items()}
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return {"rss_kb": rss, "pss_kb": kb["Pss"], "uss_kb": kb["Private_Clean"] + kb["Private_Dirty"]}


def snapshot(workers: dict[str, subprocess.Popen], phase: str, runs: int) -> dict[int, int]:
    rss = {}
    for name, worker in workers.items():
        for role, pid in processes(worker):
            mem = memory_kb(pid)
            rss[pid] = mem["rss_kb"]
            print(json.dumps({"name": "worker_process_rss", "unit": "KB", "median": mem["rss_kb"], "p95": mem["rss_kb"],
                              "n": 1, "phase": phase, "runs": runs, "worker": name, "process": role, "pid": pid,
                              "pss_kb": mem["pss_kb"], "uss_kb": mem["uss_kb"]}), flush=True)
    return rss


def wait_ready(workers: dict[str, subprocess.Popen]) -> None:
    """Until every worker has forked its pool child (and ``w1`` its beat) and answers a ping."""
    import socket

    from generalbots.celery import app

    names = [f"{name}@{socket.gethostname()}" for name in workers]
    end = time.monotonic() + 120
    while time.monotonic() < end:
        forked = all(len(processes(w)) >= (3 if name == "w1" else 2) for name, w in workers.items())
        if forked and len(app.control.ping(destination=names, timeout=1.0)) == len(names):
            time.sleep(1)  # the pool child's own start (worker_process_init) is done by now
            return
        time.sleep(0.5)
    raise RuntimeError("the workers did not come up within 2 minutes")


def run_many(bot, count: int) -> None:
    """Start ``count`` one-step workflows in batches; wait until each batch has finished."""
    from workflows.choices import ExecutionStatus
    from workflows.models import WorkflowExecution
    from workflows.services import execution_start

    for start in range(0, count, BATCH):
        ids = [execution_start(bot=bot).pk for _ in range(min(BATCH, count - start))]
        end = time.monotonic() + 600
        while WorkflowExecution.objects.filter(pk__in=ids).exclude(status__in=ExecutionStatus.finished()).exists():
            if time.monotonic() > end:
                raise RuntimeError("runs did not finish within 10 minutes")
            time.sleep(0.25)


def warm_up(bot, count: int) -> None:
    """``count`` one-step workflows started in one transaction (see the module docstring); waits
    until they have finished."""
    from django.db import transaction

    from workflows.choices import ExecutionStatus
    from workflows.models import WorkflowExecution
    from workflows.services import execution_start

    with transaction.atomic():
        ids = [execution_start(bot=bot).pk for _ in range(count)]
    end = time.monotonic() + 600
    while WorkflowExecution.objects.filter(pk__in=ids).exclude(status__in=ExecutionStatus.finished()).exists():
        if time.monotonic() > end:
            raise RuntimeError("the warm-up runs did not finish within 10 minutes")
        time.sleep(0.25)


def main() -> None:
    lock, flows = bw.bench_setup(steps=(1,))
    flow = flows[1]
    workers = {"w1": start_worker("w1", beat=True), "w2": start_worker("w2")}
    try:
        wait_ready(workers)
        if TRACE:
            warm_up(flow, WARM)
            warm = heap_snapshots(workers)
            run_many(flow, RUNS)
            heap_growth(warm, heap_snapshots(workers))
            return
        snapshot(workers, "at_rest", 0)
        warm_up(flow, WARM)
        warm = snapshot(workers, "warm", WARM)
        for done in range(0, RUNS, EVERY or RUNS):
            run_many(flow, min(EVERY or RUNS, RUNS - done))
            if EVERY and done + EVERY < RUNS:
                snapshot(workers, "curve", WARM + done + EVERY)
        after = snapshot(workers, "after", WARM + RUNS)
        growth = {pid: round(100 * (after[pid] - warm[pid]) / warm[pid], 3) for pid in after if pid in warm}
        print(json.dumps({"name": "worker_rss_growth", "unit": "%", "median": statistics.median(growth.values()),
                          "p95": max(growth.values()), "n": RUNS, "per_process": growth}), flush=True)
    finally:
        bw.stop_workers(workers.values())
        lock.close()
