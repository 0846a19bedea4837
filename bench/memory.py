"""Benchmarks of memory shared between bots, on PostgreSQL. Prints one JSON object per measurement.

    python bench/memory.py [--quick]
    python bench/memory.py --workers [--quick] [--runs N]

``--workers``: the memory of each Celery worker process instead, at rest and after many runs
(``bench/worker_memory.py`` says how).

Runs against the test settings' PostgreSQL (``DATABASE_URL``, default the local server) in its
own database ``test_generalbots_bench`` (kept between runs, emptied of bench rows each run).

- ``memory_share_to_visible``: from the start of ``BOT SHARE MEMORY`` (``memory_share``) to its
  commit, then a second thread with its own database connection runs ``BOT SYNC MEMORY``
  (``memory_sync``) and ``GET BOT MEMORY`` and sees the value. Reference in the same run:
  ``pg_commit`` (one UPDATE + COMMIT).
- ``memory_sync_1000_keys``: ``memory_sync`` of 1,000 shared keys into the target's memory
  (1,000 upserts + 1,000 versions, one transaction).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if __name__ == "__main__" and "--workers" in sys.argv:  # its own database and settings: before the ones below
    from bench.worker_memory import main as workers_main

    workers_main()
    sys.exit(0)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.test")
os.environ.setdefault("GB_TEST_RUN", "bench")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections, connection, transaction  # noqa: E402


def emit(name: str, unit: str, samples: list[float], **extra) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(json.dumps({"name": name, "unit": unit, "median": round(statistics.median(samples), 3),
                      "p95": round(p95, 3), "n": len(samples), **extra}), flush=True)


def setup_bots():
    from generalbots.bots.models import Bot
    from generalbots.core.models import Organization

    org, _ = Organization.objects.get_or_create(slug="bench-memory", defaults={"name": "Bench memory"})
    Bot.objects.filter(name__startswith="bench-mem-").delete()
    return [Bot.objects.create(name=f"bench-mem-{n}", organization=org, config={}) for n in ("a", "b")]


def bench_pg_commit(n: int) -> list[float]:
    from generalbots.bots.models import Bot

    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        with transaction.atomic():
            Bot.objects.filter(name="bench-mem-a").update(title=f"t{i}")
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def bench_share_to_visible(a, b, n: int) -> list[float]:
    from memory.selectors import bot_memory_get
    from memory.services import bot_memory_set, memory_share, memory_sync

    go, seen = threading.Event(), threading.Event()
    box: dict = {}

    def reader():
        close_old_connections()
        try:
            while True:
                go.wait()
                go.clear()
                if box.get("stop"):
                    return
                with transaction.atomic():
                    memory_sync(bot=b, source=a)
                    value = bot_memory_get(bot=b, key="reply")
                box["t1"] = time.perf_counter()
                box["value"] = value
                seen.set()
        finally:
            connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    samples = []
    for i in range(n):
        bot_memory_set(bot=a, key="reply", value=f"answer {i}")
        t0 = time.perf_counter()
        with transaction.atomic():
            memory_share(source_bot=a, target=b, key="reply")
        go.set()
        seen.wait()
        seen.clear()
        assert box["value"] == f"answer {i}", box
        samples.append((box["t1"] - t0) * 1000)
    box["stop"] = True
    go.set()
    thread.join()
    return samples


def bench_sync_1000(a, b, rounds: int) -> list[float]:
    from memory.models import BotMemory, BotSharedMemory
    from memory.services import memory_sync

    BotSharedMemory.objects.filter(source_bot=a, target_bot=b).delete()
    BotSharedMemory.objects.bulk_create([BotSharedMemory(source_bot=a, target_bot=b, memory_key=f"k{i:04}",
                                                         memory_value={"n": i, "text": f"value {i}"})
                                         for i in range(1000)])
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        with transaction.atomic():
            count = memory_sync(bot=b, source=a)
        samples.append((time.perf_counter() - t0) * 1000)
        assert count == 1000
    assert BotMemory.objects.filter(bot=b, key__startswith="k").count() == 1000
    return samples


def main() -> None:
    quick = "--quick" in sys.argv
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    a, b = setup_bots()
    commit = bench_pg_commit(50 if quick else 300)
    emit("pg_commit", "ms", commit)
    share = bench_share_to_visible(a, b, 50 if quick else 300)
    emit("memory_share_to_visible", "ms", share, reference_pg_commit_ms=round(statistics.median(commit), 3),
         ratio_to_commit=round(statistics.median(share) / statistics.median(commit), 2))
    emit("memory_sync_1000_keys", "ms", bench_sync_1000(a, b, 3 if quick else 10), keys=1000)
    a.delete()
    b.delete()


if __name__ == "__main__":
    main()
