"""One holder at a time for a named piece of work, across processes.

``exclusive("kb:42")`` takes a PostgreSQL session advisory lock keyed on the name (waiting for
another holder to let go) and releases it on exit; on another database (SQLite, the embedded
mode: one process) a lock of this process stands in. Use it around work that reads, then
writes, rows other processes may be writing the same way (indexing one knowledge base from a
worker and from ``gb kb index`` at once), where holding a transaction open would hide progress.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_local_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _key(name: str) -> int:
    """A signed 64-bit key for ``name`` (what pg_advisory_lock takes)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    if connection.vendor != "postgresql":
        with _guard:
            lock = _local_locks.setdefault(name, threading.Lock())
        with lock:
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_key(name)])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
