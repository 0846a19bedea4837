"""Due timers at scale (workflows.engine.slices.claim_due_timers, sweep_timers): claimed oldest
first in batches, never by two sweepers at once, each fired exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from tests.workflows.engine_helpers import make_bot
from workflows import engine
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution
from workflows.services import execution_start

TIMER = 'WAIT 600\nTALK "fired"\n'


def timers(count, *, due_ago=timedelta(seconds=1)):
    """``count`` runs waiting on their timer, made due ``due_ago`` (the oldest first)."""
    bot = make_bot("sleeper", TIMER)
    runs = [execution_start(bot=bot) for _ in range(count)]
    for run in runs:
        engine.slice_run(run.pk)
    now = timezone.now()
    for i, run in enumerate(runs):
        WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=now - due_ago - timedelta(seconds=count - i))
    assert WorkflowExecution.objects.filter(status=ExecutionStatus.WAITING, waiting_for="timer").count() == count
    return runs


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


@pytest.mark.django_db(transaction=True)
def test_a_due_timer_is_claimed_by_one_of_two_sweepers_and_fires_exactly_once(monkeypatch):
    monkeypatch.setattr("workflows.engine.enqueue_slice", lambda pk: None)
    runs = timers(30)
    sent = []
    monkeypatch.setattr("workflows.engine.enqueue_slices", lambda ids: sent.extend(ids))
    held, done = threading.Event(), threading.Event()
    first = []

    def other_sweeper():  # claims the ten oldest and holds them while the second sweeper runs
        try:
            with transaction.atomic():
                first.extend(engine.claim_due_timers(limit=10))
                held.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sweeper)
    thread.start()
    assert held.wait(10)
    try:
        second = engine.sweep_timers()
    finally:
        done.set()
        thread.join()

    assert second == 20 and sorted(sent) == sorted(r.pk for r in runs[10:])
    assert not set(first) & set(sent) and len(first) == 10
    for batch in (first, sent, first + sent):  # each claim delivered, then everything again
        engine.slice_runs(batch)
    assert engine.sweep_timers(now=timezone.now() + timedelta(seconds=60)) == 0
    fired = WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs])
    assert set(fired.values_list("status", flat=True)) == {ExecutionStatus.COMPLETED}
    assert all(output == ["fired"] for output in fired.values_list("output", flat=True))
