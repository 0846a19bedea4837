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
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.base")
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")  # read by Celery's Django fixup (see above)

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


worker_init.connect(_worker_connections, weak=False)
worker_process_init.connect(_worker_connections, weak=False)
task_prerun.connect(_close_old_connections, weak=False)
task_postrun.connect(_close_old_connections, weak=False)
