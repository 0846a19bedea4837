import threading
from datetime import timedelta

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.test import override_settings
from django.utils import timezone

from generalbots.celery import app as celery_app
from generalbots.core import dispatch

ran: dict[str, threading.Event] = {}


@shared_task(name="tests.core.mark")
def mark_task(key: str) -> None:
    ran.setdefault(key, threading.Event()).set()


def event(key: str) -> threading.Event:
    return ran.setdefault(key, threading.Event())


@pytest.fixture
def embedded():
    with override_settings(GB_INPROCESS_WORKER=True):
        dispatch.embedded_start(tick=0.05)
        yield
        dispatch.embedded_stop()


@pytest.mark.django_db
def test_embedded_worker_runs_an_enqueued_task_after_commit(embedded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch.enqueue(mark_task, "after-commit")
    assert not event("after-commit").is_set()  # nothing runs before the commit

    for callback in callbacks:
        callback()

    assert event("after-commit").wait(10)


def test_embedded_timer_sends_due_beat_entries_to_the_worker(embedded):
    schedule = {"mark": {"task": "tests.core.mark", "schedule": 0.1, "args": ("beat",)}}

    with override_settings(CELERY_BEAT_SCHEDULE=schedule):
        assert event("beat").wait(10)


@pytest.mark.django_db
@override_settings(GB_INPROCESS_WORKER=True)
def test_without_a_started_worker_enqueue_runs_inline_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.enqueue(mark_task, "inline")

    assert event("inline").is_set()


@pytest.mark.django_db(transaction=True)
def test_full_mode_sends_the_task_to_a_celery_worker_through_redis():
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        dispatch.enqueue(mark_task, "celery")  # no transaction open: sent at once

        assert event("celery").wait(10)


def test_a_broken_beat_entry_does_not_stop_the_timer(embedded):
    schedule = {
        "broken": {"task": "tests.core.no_such_task", "schedule": 0.1},
        "mark": {"task": "tests.core.mark", "schedule": 0.1, "args": ("after-broken",)},
    }

    with override_settings(CELERY_BEAT_SCHEDULE=schedule):
        assert event("after-broken").wait(10)
        assert dispatch.embedded_worker_alive() is True


@pytest.fixture
def broker_down():
    """Point the Celery app at a port nobody listens on (a real connection refused)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:9/0"
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    yield
    conf.broker_url, conf.broker_write_url = saved
    celery_app._pool, celery_app.amqp._producer_pool = None, None


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_keeps_the_committed_work_for_the_sweeper(broker_down, caplog):
    from tests.workflows.engine_helpers import make_bot
    from workflows.choices import ExecutionStatus
    from workflows.engine import due_ids
    from workflows.services import execution_start

    bot = make_bot("outage", 'TALK "hi"\n')
    run = execution_start(bot=bot)  # no transaction open: the task is sent (and refused) at once

    run.refresh_from_db()
    assert run.status == ExecutionStatus.PENDING
    # a start asks for a take of new runs (workflows.engine.starts), refused like the broker
    assert "Could not ask for a take of new runs" in caplog.text and "sweeper" in caplog.text
    assert run.pk in due_ids(now=timezone.now() + timedelta(seconds=10))


backend_pids: list[int] = []


@shared_task(name="tests.core.backend_pid")
def backend_pid_task() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pids.append(cursor.fetchone()[0])
    event(f"pid-{len(backend_pids)}").set()


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_database_connection_between_tasks():
    """Celery's Django fixup would close it after every task (a new PostgreSQL connection per
    workflow slice); generalbots.celery keeps it, as a Django request thread would."""
    backend_pids.clear()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        for n in (1, 2, 3):
            dispatch.enqueue(backend_pid_task)
            assert event(f"pid-{n}").wait(10)

    assert len(backend_pids) == 3 and len(set(backend_pids)) == 1, backend_pids


def test_a_pool_child_freezes_the_objects_it_inherited():
    """A full collection in a prefork child would walk (and copy) every object of its parent."""
    import gc

    from generalbots import celery as worker

    gc.unfreeze()
    try:
        worker._freeze_inherited_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_a_worker_hands_free_memory_back_at_most_once_per_interval(settings, monkeypatch):
    from unittest import mock

    from generalbots import celery as worker

    settings.GB_WORKER_TRIM_SECONDS = 10
    trim, clock = mock.Mock(), [1000.0]
    monkeypatch.setattr(worker, "_malloc_trim", trim)
    monkeypatch.setattr(worker, "_trimmed_at", [0.0])
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    for now in (1000.0, 1001.0, 1009.9, 1010.0, 1011.0):
        clock[0] = now
        worker._return_free_memory(sender=None)
    assert trim.call_args_list == [mock.call(0), mock.call(0)]

    settings.GB_WORKER_TRIM_SECONDS = 0
    clock[0] = 2000.0
    worker._return_free_memory(sender=None)
    assert trim.call_count == 2


def test_a_pool_child_opens_its_broker_connection_when_it_starts():
    """Its first publish (thousands of runs in) would otherwise open the connection, the channel
    and their Redis pools and declare the queue: about 0.3 MB at a moment set by the load."""
    from generalbots import celery as worker

    celery_app._pool, celery_app.amqp._producer_pool = None, None  # as in a freshly forked child
    try:
        worker._open_producer()
        with celery_app.producer_or_acquire() as producer:
            assert producer.connection.connected
            assert producer.connection._default_channel is not None  # opened, not only promised
            queue = celery_app.amqp.queues[celery_app.conf.task_default_queue]
            assert hash(queue) in producer.connection.declared_entities
    finally:
        celery_app._pool, celery_app.amqp._producer_pool = None, None


def test_a_pool_child_starts_when_the_broker_is_down(broker_down, caplog):
    from generalbots import celery as worker

    worker._open_producer()  # no exception: the first publish connects (and retries) itself

    assert "could not open its broker connection" in caplog.text
