"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace; tasks are found in
every installed app's ``tasks.py``. In embedded mode the broker is ``memory://`` and nothing
talks to it: ``core.dispatch`` runs the same tasks on an in-process worker thread instead.

Database connections in workers: Celery's Django fixup closes every connection before and after
each task unless ``CELERY_DB_REUSE_MAX`` is set, so each task would open a new PostgreSQL
connection (milliseconds, on the path of every workflow slice). Here workers keep their
connection like a Django request thread does: ``CELERY_DB_REUSE_MAX`` turns the blanket close
off, ``close_old_connections`` runs around each task (it drops a connection that had an error,
is left in a transaction or is older than ``CONN_MAX_AGE``), and a worker process uses
``GB_WORKER_CONN_MAX_AGE`` seconds as its ``CONN_MAX_AGE`` (the web process keeps
``DB_CONN_MAX_AGE``, 0 by default, as Django advises under ASGI). Workers skip Django's
health-check query before each task; the workflow engine retries a slice once on a fresh
connection when the reused one is dead.

Lean workers: Celery's Django fixup runs Django's system checks when a worker starts and drops
their result; running them loads the URL configuration, hence every view, the REST framework and
drf-spectacular, into every worker process. ``CELERY_SKIP_CHECKS`` turns that off (``manage.py
migrate`` and ``check`` run the checks); the settings leave daphne out of a Celery process, and
the knowledge-base libraries load on first use (``generalbots.core.lazy``).
``tests/test_lean_imports.py`` keeps it so.

Pool children and the garbage collector: a prefork child starts with its parent's objects in
pages shared with the parent. A full collection in the child walks every one of them, which
writes into each object's header (the pages become the child's own copies) and runs the
traversal code of every extension type for the first time (its library pages join the child's
RSS): measured, 25 MB more private memory and 0.5 MB more RSS at the child's first full
collection, thousands of runs after it started. A child therefore freezes what it inherited
(``gc.freeze``, as Python's documentation advises for fork without exec) before its first task:
those objects are never collected there, as the modules, classes and settings they mostly are
would not be.

Free memory back to the system: glibc's malloc keeps the pages a task freed in its heaps (the
process's and the realtime sender thread's) for the next allocation, so a worker's RSS follows
the largest task it ran rather than what it holds. After a task, at most once every
``GB_WORKER_TRIM_SECONDS``, a worker process calls ``malloc_trim(0)``, which hands the free
pages back (0.04–0.16 ms a call; nothing on a libc without it).

A pool child's broker connection for publishing: a child publishes too (a take of new runs that
came back full asks for the next one, ``workflows.engine.starts.hint``; child runs, timers). Its
first publish opened the producer's connection, its channel and their six Redis connection
pools and declared the queue (several hundred objects, and a connection's latency) at a moment
the load decided: measured after 1,000 to 6,000 runs, in the middle of a memory measurement. A
child opens them when it starts instead (one try, no retry; if the broker is down the first
publish connects and retries as it did), so what it keeps for its whole life is there before
its first task.
"""

import ctypes
import gc
import logging
import os
import time

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.base")
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")  # read by Celery's Django fixup (see above)

logger = logging.getLogger(__name__)

app = Celery("generalbots")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _worker_connections(**kwargs) -> None:
    from django.conf import settings
    from django.db import connections

    for options in settings.DATABASES.values():
        if options.get("ENGINE", "").endswith("postgresql"):
            options["CONN_MAX_AGE"] = settings.GB_WORKER_CONN_MAX_AGE
            # no health-check query before every task: the engine replaces a dead connection
            # when it meets one (workflows.engine.slices.reconnecting)
            options["CONN_HEALTH_CHECKS"] = False
    connections.close_all()  # opened before the fork or with the old setting: start afresh


def _close_old_connections(sender=None, **kwargs) -> None:
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # a task applied inline runs inside its caller's connection and transaction
    from django.db import close_old_connections

    close_old_connections()


def _freeze_inherited_objects(**kwargs) -> None:
    gc.freeze()  # see the module docstring


def _open_producer(**kwargs) -> None:
    """Open the producer connection and channel a pool child publishes with (see above)."""
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
            producer.maybe_declare(app.amqp.queues[app.conf.task_default_queue], retry=False)
    except Exception as exc:  # the broker down: the first publish connects (and retries) itself
        logger.warning("A pool child could not open its broker connection at start (%s)", exc)


def _libc_malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (AttributeError, OSError):
        return None


_malloc_trim = _libc_malloc_trim()
_trimmed_at = [0.0]


def _return_free_memory(sender=None, **kwargs) -> None:
    """``malloc_trim(0)`` after a task, at most once every ``GB_WORKER_TRIM_SECONDS`` (see above)."""
    from django.conf import settings

    every = settings.GB_WORKER_TRIM_SECONDS
    if _malloc_trim is None or not every or getattr(getattr(sender, "request", None), "is_eager", False):
        return
    now = time.monotonic()
    if now - _trimmed_at[0] >= every:
        _trimmed_at[0] = now
        _malloc_trim(0)


worker_init.connect(_worker_connections, weak=False)
worker_process_init.connect(_freeze_inherited_objects, weak=False)
worker_process_init.connect(_worker_connections, weak=False)
worker_process_init.connect(_open_producer, weak=False)
task_prerun.connect(_close_old_connections, weak=False)
task_postrun.connect(_close_old_connections, weak=False)
task_postrun.connect(_return_free_memory, weak=False)
