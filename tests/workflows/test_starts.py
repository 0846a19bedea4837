"""New runs taken by the workers in batches (workflows.engine.starts): one message for many
starts, every start taken once, a full batch asks for the next take, a lost message is no loss."""

import pytest
from django.test import override_settings

from tests.workflows.engine_helpers import make_bot
from workflows import engine
from workflows.choices import ExecutionStatus
from workflows.engine import starts
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db(transaction=True)  # the hint leaves on commit; the claim commits


@pytest.fixture
def sent(monkeypatch):
    """The ``workflows.slice_new`` messages sent (not delivered: the test plays the worker); sent
    by ``apply_async``, as when the broker is not the flag's Redis (the message the flag's script
    pushes itself: ``test_the_first_start_pushes_the_message_in_the_flags_round_trip``)."""
    from generalbots.core import dispatch
    from workflows import tasks

    messages = []
    monkeypatch.setattr(dispatch, "redis_push", lambda *a: None)
    monkeypatch.setattr(tasks.slice_new_task, "apply_async",
                        lambda args=(), **k: messages.append(args[0] if args else 1))
    starts._client().delete(starts._flag())
    yield messages
    starts._client().delete(starts._flag())


def status(runs):
    return [WorkflowExecution.objects.get(pk=run.pk).status for run in runs]


def test_many_starts_send_one_message_naming_the_first_and_one_take_slices_them_all(sent):
    bot = make_bot("greeter", 'TALK "hi"\n')
    runs = [execution_start(bot=bot) for _ in range(5)]

    assert sent == [str(runs[0].pk)]  # the flag stood for the waiting message after the first start
    assert engine.slice_new(sent[0]) == 5
    assert status(runs) == [ExecutionStatus.COMPLETED] * 5
    assert all(WorkflowExecution.objects.get(pk=run.pk).swept_at is None for run in runs)  # cleared by the slice


def test_the_named_run_is_sliced_alone_before_the_flag_is_cleared(sent, monkeypatch):
    """The lone path: the first run is sliced on the lone slice's path (count and lock in one
    statement, no claim); the runs started while it ran are the batch, claimed after it."""
    bot = make_bot("greeter", 'TALK "hi"\n')
    first = execution_start(bot=bot)
    claims = []
    real_claim = starts.claim_new

    def claim(**kwargs):
        claims.append(status([first])[0])
        return real_claim(**kwargs)

    monkeypatch.setattr(starts, "claim_new", claim)
    real_slice = engine.slices.slice_one

    def slice_one(execution_id, **kwargs):
        if str(execution_id) == str(first.pk):  # two more starts while the first is sliced
            execution_start(bot=bot), execution_start(bot=bot)
        return real_slice(execution_id, **kwargs)

    monkeypatch.setattr(engine.slices, "slice_one", slice_one)

    assert engine.slice_new(sent[0]) == 3
    assert claims == [ExecutionStatus.COMPLETED]  # the claim came after the first run's slice
    assert sent == [str(first.pk)]  # the two later starts found the flag set: no message
    assert set(WorkflowExecution.objects.values_list("status", flat=True)) == {ExecutionStatus.COMPLETED}


def test_a_lone_start_is_sliced_with_no_claim_after_it(sent, monkeypatch):
    """Nobody found the flag while the lone run's message waited (its count is one): the worker
    slices the run and makes no claim statement; with a start counted meanwhile it claims."""
    bot = make_bot("greeter", 'TALK "hi"\n')
    claims = []
    real_claim = starts.claim_new
    monkeypatch.setattr(starts, "claim_new", lambda **kw: claims.append(1) or real_claim(**kw))

    lone = execution_start(bot=bot)
    assert engine.slice_new(sent[-1]) == 1
    assert claims == [] and status([lone]) == [ExecutionStatus.COMPLETED]

    first, second = execution_start(bot=bot), execution_start(bot=bot)
    assert sent[-1] == str(first.pk) and len(sent) == 2  # the second counted on the flag
    assert engine.slice_new(sent[-1]) == 2
    assert claims == [1] and status([first, second]) == [ExecutionStatus.COMPLETED] * 2


def test_a_start_after_the_take_began_sends_a_new_message(sent):
    bot = make_bot("greeter", 'TALK "hi"\n')
    execution_start(bot=bot)
    engine.slice_new()  # the worker cleared the flag

    late = execution_start(bot=bot)

    assert len(sent) == 2 and sent[1] == str(late.pk)
    assert engine.slice_new() == 1
    assert status([late]) == [ExecutionStatus.COMPLETED]


@override_settings(GB_START_BATCH=2)
def test_a_full_batch_asks_for_the_next_take_before_it_is_sliced(sent):
    bot = make_bot("greeter", 'TALK "hi"\n')
    runs = [execution_start(bot=bot) for _ in range(3)]

    assert engine.slice_new() == 2  # the two oldest
    assert sent == [str(runs[0].pk), 1]  # the second message names no run
    assert status(runs) == [ExecutionStatus.COMPLETED, ExecutionStatus.COMPLETED, ExecutionStatus.PENDING]
    assert engine.slice_new() == 1
    assert status(runs)[2] == ExecutionStatus.COMPLETED


def test_a_claimed_run_is_not_claimed_again_and_children_are_left_to_their_own_message(sent):
    bot = make_bot("greeter", 'TALK "hi"\n')
    run = execution_start(bot=bot)
    child = WorkflowExecution.objects.create(bot=bot, workflow_name="start", parent=run, root=run)

    assert engine.claim_new(limit=10) == [str(run.pk)]
    assert engine.claim_new(limit=10) == []
    claimed = WorkflowExecution.objects.get(pk=run.pk)
    assert claimed.swept_at is not None and claimed.slice_attempts == 1
    assert WorkflowExecution.objects.get(pk=child.pk).swept_at is None


def test_a_lost_message_leaves_the_runs_to_the_sweeper(sent, settings):
    settings.GB_SWEEP_GRACE_SECONDS = 0
    bot = make_bot("greeter", 'TALK "hi"\n')
    run = execution_start(bot=bot)  # its message is never delivered

    assert str(run.pk) in {str(pk) for pk in engine.due_ids()}


@override_settings(GB_START_BATCH=0)
def test_with_batches_off_every_start_sends_its_own_slice_message(sent, monkeypatch):
    singles = []
    monkeypatch.setattr("workflows.engine.enqueue_slice", singles.append)
    bot = make_bot("greeter", 'TALK "hi"\n')
    runs = [execution_start(bot=bot) for _ in range(2)]

    assert sent == []
    assert singles == [run.pk for run in runs]


def test_a_message_the_broker_refused_leaves_no_flag_so_the_next_start_sends_one(monkeypatch):
    """Sent by ``apply_async`` (the broker is not the flag's Redis); a message the flag's script
    pushes is set with the flag or not at all."""
    from generalbots.core import dispatch
    from workflows import tasks

    monkeypatch.setattr(dispatch, "redis_push", lambda *a: None)
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.slice_new_task, "apply_async", refuse)
    starts._client().delete(starts._flag())
    bot = make_bot("greeter", 'TALK "hi"\n')

    execution_start(bot=bot)
    execution_start(bot=bot)

    assert calls == [1, 1]
    starts._client().delete(starts._flag())


def test_the_first_start_pushes_the_message_in_the_flags_round_trip(settings, monkeypatch):
    """The broker is the flag's Redis: the flag's script pushes the first start's message onto
    the queue's list itself (no ``apply_async``), the next starts push nothing, and the message
    is one a worker takes: it names the first run, and slicing it slices all three."""
    import base64
    import json

    from workflows import tasks

    settings.CELERY_TASK_DEFAULT_QUEUE = queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-starts"  # no worker's
    client = starts._client()
    client.delete(queue, starts._flag())
    monkeypatch.setattr(tasks.slice_new_task, "apply_async", lambda *a, **k: pytest.fail("sent by apply_async"))
    bot = make_bot("greeter", 'TALK "hi"\n')
    try:
        runs = [execution_start(bot=bot) for _ in range(3)]
        pushed = client.lrange(queue, 0, -1)
    finally:
        client.delete(queue, starts._flag())

    assert len(pushed) == 1
    message = json.loads(pushed[0])
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert message["headers"]["task"] == "workflows.slice_new" and args == [str(runs[0].pk)]
    assert engine.slice_new(*args) == 3
    assert status(runs) == [ExecutionStatus.COMPLETED] * 3
