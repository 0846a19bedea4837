"""Where the time of one run goes when runs come one at a time (issue 20 item 1).

    python bench/lone_run.py [--quick] [--runs N]

With the two workers of bench/workflows.py (on its database and Redis, under its advisory lock;
the workers also import ``bench.lone_run_marks``, which notes when the slice task of a named run
begins and ends), starts ``--runs`` runs (300; 50 with ``--quick``) of each shape one after another,
each awaited through the NOTIFY its end commits (``NOTIFY_SQL``), and prints one JSON row per shape:

- ``median`` / ``p95``: ms from the start call to the NOTIFY seen (what bench/workflows.py's
  ``workflow_parallel_2`` row measures);
- ``parts`` (medians, ms): ``start_call`` (``execution_start`` in this process: the INSERT and the
  hint), ``to_task`` (from its return to the slice task beginning in a pool child: the message,
  Celery's consumer, the pipe to the child), ``task`` (the task, from its beginning to its end,
  the slice's commit and what follows it included), ``after_end_seen`` (from the NOTIFY seen to
  the task's end: the work a task does after the commit that ends the run, which delays the next
  message's pickup but not this run);
- ``own_message``: share of runs sliced by the message their own start sent (the others arrived
  while a worker was busy and were claimed in a batch: ``workflows.engine.starts``);
- ``worker_cpu_ms``: CPU of both workers per run (10 ms ticks, the sweeper's tick included).

Before the workers start, ``lone_run_<shape>_in_process``: the same runs started and sliced in this
process (``engine.slice_new``, what the task calls), with ``parts`` ``start_call`` and ``slice``:
the engine's own cost, without the message and Celery around it.

Shapes: ``parallel_2`` (PARALLEL of two branches and the join, as in bench/workflows.py) and
``step_1`` (one no-op ``STEP 1: BOT``, the flow of bench/throughput.py's first load).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workflows as bw  # noqa: E402  (sets the bench's environment first)

RUNS = int(bw._arg("--runs", "50" if bw.QUICK else "300"))
WARM_UP = 10


def marks() -> dict[tuple[str, str], float]:
    found = {}
    for path in Path(bw.ENV["GB_DATA_DIR"]).glob("marks-*.txt"):
        for line in path.read_text().splitlines():
            run, what, at = line.split()
            found[(run, what)] = float(at)
    return found


def ms(values) -> float:
    """The median of ``values`` (seconds) in ms."""
    return round(statistics.median(values) * 1000, 3)


def main():
    lock, flows = bw.bench_setup((1,))
    from generalbots.core.models import Organization
    from workflows.services import execution_start

    org = Organization.objects.get(slug="bench")
    shapes = {"parallel_2": bw.bench_bot(org, "par2", bw.parallel_source(2)), "step_1": flows[1]}
    from workflows import engine

    for shape, bot in shapes.items():
        began, sliced = [], []
        for i in range(WARM_UP + RUNS):
            t0 = time.perf_counter()
            run = execution_start(bot=bot)
            t1 = time.perf_counter()
            engine.slice_new(str(run.pk))
            if i >= WARM_UP:
                began.append(t1 - t0)
                sliced.append(time.perf_counter() - t1)
        bw.emit(f"lone_run_{shape}_in_process", "ms", [(a + b) * 1000 for a, b in zip(began, sliced)],
                parts={"start_call": ms(began), "slice": ms(sliced)})
    import redis

    redis.Redis.from_url(bw.ENV["REDIS_URL"]).delete(bw.ENV["GB_TASK_QUEUE"])  # their messages: nobody's now
    include = "bench.workflow_reference,bench.lone_run_marks"
    workers = [bw.start_worker("w1", beat=True, include=include), bw.start_worker("w2", include=include)]
    time.sleep(6)
    lock.execute("LISTEN bench_done")
    seen: set[str] = set()

    try:
        for shape, bot in shapes.items():
            rows = []
            c0 = None
            for i in range(WARM_UP + RUNS):
                if i == WARM_UP:
                    c0 = bw.cpu_ms(workers)
                t0 = time.time()
                run = execution_start(bot=bot)
                t1 = time.time()
                bw.wait_notified(lock, seen, f"run:{run.pk}")
                if i >= WARM_UP:
                    rows.append((str(run.pk), t0, t1, time.time()))
            cpu = (bw.cpu_ms(workers) - c0) / RUNS
            time.sleep(0.5)  # the last task's end mark
            at = marks()
            own = [row for row in rows if (row[0], "pre") in at and (row[0], "post") in at]
            bw.emit(f"lone_run_{shape}", "ms", [(row[3] - row[1]) * 1000 for row in rows],
                    parts={"start_call": ms([r[2] - r[1] for r in rows]),
                           "to_task": ms([at[(r[0], "pre")] - r[2] for r in own]) if own else None,
                           "task": ms([at[(r[0], "post")] - at[(r[0], "pre")] for r in own]) if own else None,
                           "after_end_seen": ms([at[(r[0], "post")] - r[3] for r in own]) if own else None},
                    own_message=round(len(own) / len(rows), 3), worker_cpu_ms=round(cpu, 2))
    finally:
        bw.stop_workers(workers)


if __name__ == "__main__":
    main()
