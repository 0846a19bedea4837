"""What grows in a worker process, for ``bench/memory.py --workers --tracemalloc``.

Imported by a Celery worker (``-I bench.heap_probe``) started with ``GB_BENCH_HEAP_DIR`` set:
every process of the worker (its pool child after the fork) traces its Python allocations
(``tracemalloc``, 1 frame) and, on SIGUSR2, writes a snapshot to
``$GB_BENCH_HEAP_DIR/<pid>-<n>.snap`` (``n`` counts the snapshots of that process), then a
``.done`` file beside it. The bench signals each process between its phases and compares the
snapshots; the tracing itself costs memory and time, so the RSS figures come from a run without it.
"""

from __future__ import annotations

import os
import signal
import tracemalloc
from pathlib import Path

from celery.signals import worker_init, worker_process_init

HEAP_DIR = os.environ.get("GB_BENCH_HEAP_DIR")
_taken = [0]


def _snapshot(signum, frame) -> None:
    import gc

    gc.collect()
    _taken[0] += 1
    path = Path(HEAP_DIR) / f"{os.getpid()}-{_taken[0]}.snap"
    tracemalloc.take_snapshot().dump(str(path))
    path.with_suffix(".done").write_text("")


def _start(**kwargs) -> None:
    if not tracemalloc.is_tracing():
        tracemalloc.start(1)
    _taken[0] = 0
    signal.signal(signal.SIGUSR2, _snapshot)


if HEAP_DIR:
    worker_init.connect(_start, weak=False)
    worker_process_init.connect(_start, weak=False)
