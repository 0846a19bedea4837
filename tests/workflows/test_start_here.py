"""A run started and sliced in the caller's process (``execution_start(here=True)``, the API's
``wait``): no message to a worker for what the first slice finishes, the workers' hands for
what it leaves suspended, and an answer that waits for the run's end."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, transaction

from generalbots.celery import app as celery_app
from tests import factories
from tests.workflows.engine_helpers import make_bot
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.engine import starts
from workflows.events import event_publish
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db(transaction=True)  # the start's transaction must be the outermost

PARALLEL = 'STEP 1: PARALLEL\n  BRANCH A: a = 1\n  BRANCH B: b = 2\nEND PARALLEL\nTALK "sum " + (a + b)\n'
WAITING = 'WAIT FOR EVENT "go" TIMEOUT 30\nTALK "went"\n'


@pytest.fixture
def sent(monkeypatch):
    """Every message a start or a slice would send to the workers (kept, not sent)."""
    messages = []
    monkeypatch.setattr(starts, "hint", lambda execution_id=None: messages.append(("take", str(execution_id))))
    monkeypatch.setattr(engine, "enqueue_slice", lambda execution_id: messages.append(("slice", str(execution_id))))
    monkeypatch.setattr(engine, "enqueue_slices", lambda ids: messages.extend(("slice", str(i)) for i in ids))
    monkeypatch.setattr(events, "send_slices", lambda ids: messages.extend(("slice", str(i)) for i in ids) or len(ids))
    return messages


def test_a_run_started_here_has_finished_when_the_start_returns_and_no_worker_was_asked(sent):
    bot = make_bot("adder", PARALLEL)

    run = execution_start(bot=bot, here=True)

    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["sum 3"]
    assert list(run.children.order_by("position").values_list("branch_label", "status")) == [
        ("A", ExecutionStatus.COMPLETED), ("B", ExecutionStatus.COMPLETED)]
    assert sent == []
    assert WorkflowExecution.objects.get(pk=run.pk).status == ExecutionStatus.COMPLETED  # committed


def test_a_run_started_here_that_suspends_is_left_waiting_for_what_wakes_it(sent):
    bot = make_bot("waiter", WAITING)

    run = execution_start(bot=bot, here=True)

    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "event:go"
    assert sent == []  # the wake-up is a row: the event's publication asks a worker
    event_publish(organization=bot.organization, name="go")
    assert sent == [("slice", str(run.pk))]
    engine.slice_run(run.pk)  # what the worker does with it
    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["went"]


def test_inside_a_transaction_here_is_ignored_and_a_worker_is_asked_once_it_commits(sent):
    bot = make_bot("adder", PARALLEL)

    with transaction.atomic():
        run = execution_start(bot=bot, here=True)
        assert sent == []

    assert run.status == ExecutionStatus.PENDING
    assert sent == [("take", str(run.pk))]
    assert WorkflowExecution.objects.get(pk=run.pk).status == ExecutionStatus.PENDING


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   RecursionError("maximum recursion depth exceeded")])
def test_a_first_slice_that_fails_takes_its_insert_with_it_and_a_worker_gets_the_run(sent, monkeypatch, caplog,
                                                                                      error):
    from workflows.engine import slices

    bot = make_bot("adder", PARALLEL)
    seen = []

    def broken(wake):
        def work(run, ctx):
            seen.append(WorkflowExecution.objects.filter(pk=run.pk).exists())  # inserted, in this transaction
            raise error
        return work

    monkeypatch.setattr(slices, "_advance", broken)
    run = execution_start(bot=bot, here=True)

    assert seen == [True]
    assert run.status == ExecutionStatus.PENDING and run.output == []
    assert list(WorkflowExecution.objects.values_list("pk", "status")) == [(run.pk, ExecutionStatus.PENDING)]
    assert sent == [("take", str(run.pk))]
    assert "its first slice failed in this process; a worker takes it" in caplog.text


@pytest.fixture
def operator():
    user = factories.UserFactory(username="olga")
    factories.BotAccessFactory(user=user, bot=make_bot("adder", PARALLEL), can_operate=True)
    factories.BotAccessFactory(user=user, bot=make_bot("waiter", WAITING), can_operate=True)
    return user


@pytest.fixture
def client(api, operator):
    return api(operator)


def test_the_api_answers_a_start_with_wait_with_the_finished_run(client, sent):
    response = client.post("/api/workflows/", {"bot": "adder", "wait": 5}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "completed" and body["output"] == ["sum 3"]
    assert [(s["kind"], s["status"]) for s in body["steps"]] == [("parallel", "completed")]
    assert body["variables"] == {"a": 1, "b": 2}
    assert body == client.get(f"/api/workflows/{body['id']}/").json()
    assert sent == []


def test_the_api_waits_for_a_worker_to_finish_what_the_first_slice_left_waiting(client, operator):
    waiting = threading.Event()

    def publish_when_waiting():
        from django.db import connection

        try:
            for _ in range(500):
                run = WorkflowExecution.objects.filter(bot__name="waiter").first()
                if run is not None and run.status == ExecutionStatus.WAITING:
                    waiting.set()
                    event_publish(organization=run.bot.organization, name="go")
                    return
                time.sleep(0.01)
        finally:
            connection.close()

    publisher = threading.Thread(target=publish_when_waiting)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        publisher.start()
        response = client.post("/api/workflows/", {"bot": "waiter", "wait": 20}, format="json")
        publisher.join(10)

    assert waiting.is_set()
    body = response.json()
    assert response.status_code == 201 and body["status"] == "completed" and body["output"] == ["went"]


def test_the_api_answers_a_run_still_waiting_when_the_wait_is_over(client, sent):
    response = client.post("/api/workflows/", {"bot": "waiter", "wait": 0.3}, format="json")

    body = response.json()
    assert response.status_code == 201 and body["status"] == "waiting" and body["waiting_for"] == "event:go"
    assert body["output"] == []


@pytest.mark.parametrize(("wait", "problem"), [(-1, "greater than or equal to 0"), (31, "less than or equal to 30"),
                                               ("soon", "A valid number is required")])
def test_a_bad_wait_is_refused_naming_it_and_starts_nothing(client, wait, problem):
    response = client.post("/api/workflows/", {"bot": "adder", "wait": wait}, format="json")

    assert response.status_code == 400
    assert problem in str(response.json()["error"]["extra"]["fields"]["wait"])
    assert not WorkflowExecution.objects.exists()


def test_without_wait_the_api_still_answers_at_once_with_the_pending_run(client, sent):
    response = client.post("/api/workflows/", {"bot": "adder"}, format="json")

    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert sent == [("take", response.json()["id"])]
