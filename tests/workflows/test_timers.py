"""Due timers at scale (workflows.engine.slices.claim_due_timers, batches.sweep_timers): claimed
oldest first a batch at a time by the workers themselves, never by two at once, each fired
exactly once, also when a worker dies between its claim and its slice's commit.

A fire is counted by the event the script publishes right after its WAIT (``fires``): one
committed row per resume, so a timer fired twice would show two."""

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import REPO
from tests.workflows.engine_helpers import make_bot, run_together
from workflows import engine
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowExecution
from workflows.services import execution_start

TIMER = 'WAIT 600\nPUBLISH EVENT "fired"\nTALK "fired"\n'


def timers(count, *, due_ago=timedelta(seconds=1), bot="sleeper"):
    """``count`` runs of a new ``bot`` waiting on their timer, made due ``due_ago`` (the oldest first)."""
    bot = make_bot(bot, TIMER)
    runs = [execution_start(bot=bot) for _ in range(count)]
    for run in runs:
        engine.slice_run(run.pk)
    now = timezone.now()
    for i, run in enumerate(runs):
        WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=now - due_ago - timedelta(seconds=count - i))
    assert WorkflowExecution.objects.filter(bot=bot, status=ExecutionStatus.WAITING, waiting_for="timer").count() == count
    return runs


def fires(runs) -> dict:
    """How many times each run of ``runs`` resumed from its timer (its events after the WAIT)."""
    counted = dict(WorkflowEvent.objects.filter(event_name="fired", workflow__in=[r.pk for r in runs])
                   .values_list("workflow").annotate(n=Count("id")))
    return {run.pk: counted.get(run.pk, 0) for run in runs}


def assert_fired_once(runs):
    assert set(fires(runs).values()) == {1}
    done = WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs])
    assert set(done.values_list("status", flat=True)) == {ExecutionStatus.COMPLETED}
    assert set(done.values_list("slice_attempts", flat=True)) == {0}


@pytest.mark.django_db
def test_due_timers_are_claimed_oldest_first_a_batch_at_a_time_and_not_claimed_again():
    runs = timers(5)

    with transaction.atomic():
        first = engine.claim_due_timers(limit=3)
    with transaction.atomic():
        second = engine.claim_due_timers(limit=3)
    with transaction.atomic():
        third = engine.claim_due_timers(limit=3)

    assert first == [r.pk for r in runs[:3]] and second == [r.pk for r in runs[3:]] and third == []


@pytest.mark.django_db
def test_the_tick_resumes_every_due_timer_itself_a_batch_to_a_transaction(settings):
    settings.GB_SLICE_BATCH = 4
    runs = timers(10)
    later = timers(1, due_ago=timedelta(seconds=-600), bot="late-sleeper")  # not due yet

    assert engine.sweep_timers() == 10

    assert_fired_once(runs)
    assert fires(later) == {later[0].pk: 0}
    with CaptureQueriesContext(connection) as idle:
        assert engine.sweep_timers() == 0
    statements = [q["sql"] for q in idle.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 and "resume_at" in statements[0]  # nothing due: one indexed statement


@pytest.mark.django_db(transaction=True)
def test_a_due_timer_is_claimed_by_one_of_two_workers_and_fires_exactly_once(settings, monkeypatch):
    settings.GB_SLICE_BATCH = 7
    monkeypatch.setattr("workflows.engine.enqueue_slice", lambda pk: None)
    runs = timers(30)
    held, done = threading.Event(), threading.Event()
    first = []

    def other_worker():  # claims the ten oldest and holds them while the tick drains the rest
        try:
            with transaction.atomic():
                first.extend(engine.claim_due_timers(limit=10, count=True))
                held.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert held.wait(10)
    try:
        second = engine.sweep_timers()
    finally:
        done.set()
        thread.join()

    assert second == 20 and first == [r.pk for r in runs[:10]]
    assert fires(runs) == {r.pk: 0 if r.pk in first else 1 for r in runs}
    engine.slice_runs(first, counted=True)  # the other worker's batch
    for batch in (first, [r.pk for r in runs]):  # every message delivered again
        engine.slice_runs(batch)
    assert engine.sweep_timers(now=timezone.now() + timedelta(seconds=60)) == 0
    assert_fired_once(runs)


@pytest.mark.django_db(transaction=True)
def test_a_claimed_timer_another_transaction_holds_for_a_moment_fires_in_the_same_tick(monkeypatch):
    """The holder (in production, another worker's claim that locked the row and left it out)
    commits while the tick pauses before trying the run again: the run fires in this tick,
    not after the requeue delay."""
    from workflows.engine import batches

    runs = timers(3)
    held, release, released = threading.Event(), threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                list(WorkflowExecution.objects.select_for_update().filter(pk=runs[1].pk))
                held.set()
                release.wait(10)
            released.set()
        finally:
            connections.close_all()

    pauses = []

    def pause(seconds):  # the holder commits during the tick's pause
        pauses.append(seconds)
        release.set()
        assert released.wait(10)

    monkeypatch.setattr(batches.time, "sleep", pause)
    thread = threading.Thread(target=holder)
    real_slice_runs = batches.slice_runs

    def slice_runs(ids, **kwargs):  # the holder locks a run once the tick's claim has committed
        if not thread.is_alive() and not held.is_set():
            thread.start()
            assert held.wait(10)
        return real_slice_runs(ids, **kwargs)

    monkeypatch.setattr(batches, "slice_runs", slice_runs)
    try:
        assert engine.sweep_timers() == 3
    finally:
        release.set()
        if thread.is_alive():
            thread.join()

    assert pauses == [batches.HELD_PAUSE]  # one pause, before the first retry of the held run alone
    assert_fired_once(runs)


@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_together_fire_each_timer_once(settings):
    settings.GB_SLICE_BATCH = 10
    runs = timers(120)
    claimed = run_together(engine.sweep_timers)

    assert sum(claimed) == 120
    assert_fired_once(runs)


@pytest.mark.django_db
def test_a_tick_gives_the_worker_back_after_its_budget_and_sends_the_next_tick(settings, monkeypatch):
    settings.GB_SLICE_BATCH = 5
    runs = timers(12)
    sent = []
    monkeypatch.setattr("generalbots.core.dispatch.enqueue", lambda task, *args: sent.append(task.name))

    assert engine.sweep_timers(budget=6) == 10  # two batches: the budget is spent after the second
    assert sent == ["workflows.sweep_timers"]
    assert sum(fires(runs).values()) == 10
    assert engine.sweep_timers() == 2
    assert_fired_once(runs)


# A worker process killed (SIGKILL) after its claim committed: before its batch was sliced, or in
# the middle of the batch's transaction (the slices ran, nothing of them committed).
KILLED_WORKER = """
import os, signal, django
django.setup()
from workflows import engine
from workflows.engine import batches
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if "{where}" == "before_slice":
    batches.slice_runs = die
else:
    batches.flush_all = die
engine.sweep_timers()
"""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["before_slice", "mid_batch"])
@pytest.mark.django_db(transaction=True)
def test_timers_a_killed_worker_claimed_are_claimed_again_after_the_requeue_delay_and_fire_once(where, settings):
    settings.GB_SLICE_BATCH = 8
    runs = timers(8)
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "generalbots.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "GB_SLICE_BATCH": "8"}
    worker = subprocess.run([sys.executable, "-c", KILLED_WORKER.format(where=where)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert worker.returncode == -signal.SIGKILL, worker.stderr

    left = WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs])
    assert set(left.values_list("status", flat=True)) == {ExecutionStatus.WAITING}
    assert set(left.values_list("slice_attempts", flat=True)) == {1}  # the claim counted the attempt
    assert sum(fires(runs).values()) == 0
    assert engine.sweep_timers() == 0  # claimed: a live worker may still be slicing them
    assert engine.sweep_timers(now=timezone.now() + timedelta(seconds=settings.GB_SWEEP_REQUEUE_SECONDS + 1)) == 8
    assert_fired_once(runs)


@pytest.mark.django_db
def test_a_timer_whose_slice_kills_its_worker_every_time_is_failed_as_poisoned(settings):
    settings.GB_SLICE_MAX_ATTEMPTS = 3
    (run,) = timers(1)
    now = timezone.now()
    for crash in range(3):  # each claim committed, each worker killed before its slice committed
        with transaction.atomic():
            assert engine.claim_due_timers(now=now + timedelta(seconds=16 * crash), count=True) == [run.pk]

    assert engine.sweep_timers(now=now + timedelta(seconds=16 * 3)) == 1

    run.refresh_from_db()
    assert run.status == ExecutionStatus.FAILED and "crashed its worker 3 times" in run.error
    assert fires([run]) == {run.pk: 0}
