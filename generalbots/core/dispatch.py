"""Where Celery tasks run: Celery workers in full mode, threads of this process in embedded mode.

The choice: tasks are ordinary Celery tasks (``tasks.py``, explicit ``name=``) in both modes.

- Full mode (a real broker, ``REDIS_URL``): ``enqueue`` sends the task with ``apply_async``
  once the transaction commits; ``celery worker`` and ``celery beat`` processes do the rest.
- Embedded mode (``CELERY_BROKER_URL`` is ``memory://``): the server command calls
  ``embedded_start()``, which starts one worker thread that runs queued tasks in order with
  ``task.apply()`` (same code path as a worker: retries, signals), and one timer thread that
  reads ``CELERY_BEAT_SCHEDULE`` — the same schedule beat uses — and queues each entry when
  due, checking every second. A process that has not started them (``manage.py shell``, a
  command) runs enqueued tasks inline on commit, so work is never left in a dead queue.

The database stays the truth either way (DESIGN §4.5): a queued task is a hint, and a periodic
sweeper re-finds whatever a lost hint left behind.
"""

import logging
import os
import queue
import threading
from datetime import datetime, timezone
from typing import Any, NamedTuple

from celery import Task
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections, transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)

_STOP = object()


class EmbeddedWorker(threading.Thread):
    """Runs queued tasks one at a time, with fresh database connections around each."""

    def __init__(self) -> None:
        super().__init__(name="gb-worker", daemon=True)
        self.queue: queue.Queue = queue.Queue()

    def run(self) -> None:
        while True:
            item = self.queue.get()
            if item is _STOP:
                return
            task, args, kwargs = item
            close_old_connections()
            try:
                task.apply(args=args, kwargs=kwargs, throw=True)
            except Exception:
                logger.exception("Task %s failed", task.name)
            finally:
                close_old_connections()


class EmbeddedTimer(threading.Thread):
    """Queues the entries of ``CELERY_BEAT_SCHEDULE`` on the worker when they are due."""

    def __init__(self, worker: EmbeddedWorker, *, tick: float = 1.0) -> None:
        super().__init__(name="gb-timer", daemon=True)
        self.worker = worker
        self.tick = tick
        self.stopping = threading.Event()
        self.last_run: dict[str, datetime] = {}

    def run(self) -> None:
        from generalbots.celery import app

        started = datetime.now(timezone.utc)
        while not self.stopping.wait(self.tick):
            for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
                try:
                    schedule = maybe_schedule(entry["schedule"], app=app)
                    due, _next = schedule.is_due(self.last_run.get(key, started))
                    if due:
                        self.last_run[key] = datetime.now(timezone.utc)
                        task = app.tasks[entry["task"]]
                        self.worker.queue.put((task, tuple(entry.get("args", ())), dict(entry.get("kwargs", {}))))
                except Exception:  # one broken entry must not stop the others
                    logger.exception("Periodic task %s could not be scheduled", key)


_worker: EmbeddedWorker | None = None
_timer: EmbeddedTimer | None = None


def embedded_start(*, tick: float = 1.0) -> None:
    """Start the in-process worker and timer threads (once per process)."""
    global _worker, _timer
    if _worker is not None:
        return
    from generalbots.celery import app

    app.loader.import_default_modules()  # register every app's tasks before the first is due
    _worker = EmbeddedWorker()
    _timer = EmbeddedTimer(_worker, tick=tick)
    _worker.start()
    _timer.start()


def embedded_stop(*, timeout: float = 10.0) -> None:
    """Stop the timer, let the worker finish the task in hand, then forget both."""
    global _worker, _timer
    if _timer is not None:
        _timer.stopping.set()
        _timer.join(timeout)
    if _worker is not None:
        _worker.queue.put(_STOP)
        _worker.join(timeout)
    _worker = _timer = None


def embedded_worker_alive() -> bool | None:
    """True/False for a started worker thread; None when this process never started one."""
    if _worker is None:
        return None
    return _worker.is_alive() and _timer is not None and _timer.is_alive()


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Run ``task`` asynchronously once the current transaction commits.

    Full mode sends it to the broker; embedded mode hands it to the in-process worker, or runs
    it inline when this process has no worker. A broker that cannot be reached is logged, not
    raised: what was committed stays, and the sweeper re-finds the work (DESIGN §4.5).
    """

    def send() -> None:
        if not settings.GB_INPROCESS_WORKER:
            try:
                task.apply_async(args=args, kwargs=kwargs)
            except Exception as exc:  # broker down: the rows are committed, the sweeper finds them
                logger.warning("Could not queue %s (%s); the periodic sweeper will pick the work up", task.name, exc)
        elif _worker is not None and _worker.is_alive():
            _worker.queue.put((task, args, kwargs))
        else:
            task.apply(args=args, kwargs=kwargs, throw=True)

    transaction.on_commit(send)


# --------------------------------------------------------------------------- a message as data
# A task message built in this process and pushed by the caller's own Redis command, for a
# hint that must be sent only when a Redis script decides so (workflows.engine.starts: one round
# trip instead of the script's and kombu's). Celery builds the message (``as_task_v2``, the task
# protocol 2) and kombu serialises its body; what is assembled here is the envelope kombu's Redis
# transport pushes (``Channel.basic_publish`` of kombu.transport.virtual, then ``_put``).
# ``tests/core/test_dispatch_message.py`` compares it with the message ``apply_async`` pushes.


def redis_push(task: Task, *args: Any) -> tuple[str, str] | None:
    """``(list key, message)``: what ``task.apply_async(args=args)`` would push onto the broker's
    Redis list of the default queue, or None where that cannot be said here (the broker is not
    the Redis of ``REDIS_URL``, or kombu's Redis transport has options that change its keys or
    its envelope). A message pushed this way sends none of Celery's publish signals
    (``before_task_publish`` / ``after_task_publish``; nothing here listens to them).

    What does not change from one message to the next (the queue, the serializer, the headers
    but the ids and ``argsrepr``, the delivery properties) is worked out once per task, broker,
    settings and process (``_push_plan``: Celery's configuration lookups and ``as_task_v2`` cost
    most of a message); each message then draws its ids and serialises its arguments."""
    app = task.app
    plan = _push_plan(task, app.conf.broker_write_url or app.conf.broker_url)
    if plan is None:
        return None
    import base64
    import json

    from celery.utils.saferepr import saferepr
    from kombu.serialization import dumps
    from kombu.utils.uuid import uuid

    task_id = uuid()
    headers = {**plan.headers, "id": task_id, "root_id": task_id,
               "argsrepr": saferepr(args, plan.repr_size, maxlevels=plan.repr_levels)}
    _, _, data = dumps((args, {}, plan.embed), serializer=plan.serializer)
    properties = {**plan.properties, "correlation_id": task_id, "reply_to": app.thread_oid, "delivery_tag": uuid()}
    message = {"body": base64.b64encode(data if isinstance(data, bytes) else data.encode(plan.encoding)).decode(),
               "content-encoding": plan.encoding, "content-type": plan.content_type, "headers": headers,
               "properties": properties}
    return plan.queue, json.dumps(message)


class _PushPlan(NamedTuple):
    queue: str
    serializer: str
    content_type: str
    encoding: str
    headers: dict
    properties: dict
    embed: dict
    repr_size: int
    repr_levels: int


# By (task, broker, process: the headers name it): a plan, or None when the message cannot be
# pushed here. Emptied when a setting changes (``setting_changed``: the settings it read); a broker
# changed on the app's conf itself is in the key.
_PUSH_PLANS: dict[tuple, _PushPlan | None] = {}


def _push_plan(task: Task, broker: str) -> _PushPlan | None:
    key = (task.name, broker, os.getpid())
    if key in _PUSH_PLANS:
        return _PUSH_PLANS[key]
    plan = None
    app = task.app
    if _pushable(app, broker):
        from kombu.serialization import dumps

        queue = app.conf.task_default_queue
        headers, properties, body, _ = app.amqp.as_task_v2(
            "", task.name, (), {}, reply_to="", ignore_result=task.ignore_result)
        content_type, encoding, _ = dumps(body, serializer=app.conf.task_serializer)
        properties.update(delivery_mode=2, delivery_info={"exchange": "", "routing_key": queue}, priority=0,
                          body_encoding="base64")
        plan = _PushPlan(queue, app.conf.task_serializer, content_type, encoding, headers, properties, body[2],
                         app.amqp.argsrepr_maxsize, app.conf.task_repr_maxlevels)
    if len(_PUSH_PLANS) >= 64:
        _PUSH_PLANS.clear()
    _PUSH_PLANS[key] = plan
    return plan


@receiver(setting_changed)
def _forget_push_plans(**kwargs) -> None:
    _PUSH_PLANS.clear()


def _pushable(app, broker: str) -> bool:
    """Whether a message for ``broker`` (what the app publishes to, as configured now: its
    ``broker_write_url`` or ``broker_url``) can be pushed on the flag's Redis."""
    conf = app.conf
    # the settings too: a change of them at run time (a test's) did not reach the app's conf
    return (bool(settings.REDIS_URL) and broker == settings.REDIS_URL == settings.CELERY_BROKER_URL
            and broker.startswith("redis://") and not conf.broker_transport_options and not conf.task_routes)
