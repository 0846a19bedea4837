"""The event bus through real runs on PostgreSQL: mailbox, wake-ups, timeouts, correlation,
organizations, ON EVENT handlers (workflows.events)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from generalbots.core.exceptions import ApplicationError
from tests.factories import OrganizationFactory
from tests.workflows.engine_helpers import make_bot
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEvent, WorkflowEventConsumption, WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

WAITER = """d = WAIT FOR EVENT "payment_confirmed" TIMEOUT 600
TALK "got " + d.amount + " timed_out=" + event_timed_out
"""


def start(bot, **variables):
    run = execution_start(bot=bot, variables=variables)
    engine.slice_run(run.pk)
    run.refresh_from_db()
    return run


def publish(bot, name, data=None, organization=None):
    return events.event_publish(organization=organization or bot.organization, name=name, data=data)


def later(seconds=10):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_waiting_run_records_the_name_it_waits_for_and_its_deadline():
    run = start(make_bot("waiter", WAITER))

    assert run.status == ExecutionStatus.WAITING
    assert run.waiting_for == "event:payment_confirmed"
    assert run.resume_at is not None and run.resume_at > timezone.now() + timedelta(seconds=590)


def test_an_event_published_after_the_run_started_but_before_its_wait_is_not_missed():
    bot = make_bot("waiter", 'DELAY 30\n' + WAITER)
    run = start(bot)
    assert run.waiting_for == "timer"
    publish(bot, "payment_confirmed", {"amount": 42})
    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now())

    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["got 42 timed_out=false"]
    assert list(WorkflowEventConsumption.objects.filter(execution=run).values_list("kind", flat=True)) == ["wait"]


def test_an_event_published_before_the_run_started_is_not_in_its_mailbox():
    bot = make_bot("waiter", WAITER)
    publish(bot, "payment_confirmed", {"amount": 1})
    WorkflowEvent.objects.update(created_at=timezone.now() - timedelta(seconds=1))

    run = start(bot)

    assert run.status == ExecutionStatus.WAITING


def test_publishing_wakes_the_waiting_run_which_takes_the_event_once():
    bot = make_bot("waiter", WAITER)
    run = start(bot)
    publish(bot, "payment_confirmed", {"amount": 7})

    assert events.waiter_ids(organization_id=bot.organization_id, name="payment_confirmed", data={}) == [run.pk]
    engine.slice_run(run.pk)
    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.output == ["got 7 timed_out=false"]
    assert WorkflowEventConsumption.objects.filter(execution=run).count() == 1


def test_the_sweeper_finds_a_run_whose_wake_up_message_was_lost():
    bot = make_bot("waiter", WAITER)
    run = start(bot)
    publish(bot, "payment_confirmed", {"amount": 7})

    assert run.pk in engine.due_ids(now=later())
    engine.slice_run(run.pk)
    assert run.pk not in engine.due_ids(now=later())


def test_two_runs_waiting_for_the_same_name_each_receive_it():
    bot = make_bot("waiter", WAITER)
    first, second = start(bot), start(bot)
    publish(bot, "payment_confirmed", {"amount": 3})

    assert set(events.waiter_ids(organization_id=bot.organization_id, name="payment_confirmed", data={})) == {
        first.pk, second.pk}
    for run in (first, second):
        engine.slice_run(run.pk)
        run.refresh_from_db()
        assert run.output == ["got 3 timed_out=false"]


def test_the_oldest_unconsumed_event_is_taken_first_one_per_wait():
    bot = make_bot("waiter", 'a = WAIT FOR EVENT "tick" TIMEOUT 60\nb = WAIT FOR EVENT "tick" TIMEOUT 60\n'
                             'TALK a.n + "," + b.n\n')
    run = start(bot)
    for n in (1, 2, 3):
        publish(bot, "tick", {"n": n})

    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.output == ["1,2"]


def test_events_never_cross_organizations():
    bot = make_bot("waiter", WAITER)
    run = start(bot)
    other = OrganizationFactory(slug="other-org")
    publish(bot, "payment_confirmed", {"amount": 9}, organization=other)

    assert events.waiter_ids(organization_id=other.pk, name="payment_confirmed", data={}) == []
    assert run.pk not in engine.due_ids(now=later())
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING


def test_where_takes_only_the_events_of_the_runs_own_order():
    bot = make_bot("waiter", 'd = WAIT FOR EVENT "payment_confirmed" TIMEOUT 600 WHERE order_id = order\n'
                             'TALK order + ":" + d.amount\n')
    runs = {order: start(bot, order=order) for order in (1, 2, 3)}
    publish(bot, "payment_confirmed", {"order_id": 2, "amount": 20})
    publish(bot, "payment_confirmed", {"order_id": 3, "amount": 30})

    woken = events.waiter_ids(organization_id=bot.organization_id, name="payment_confirmed",
                              data={"order_id": 2, "amount": 20})
    assert woken == [runs[2].pk]
    assert engine.due_ids(now=later()) >= {runs[2].pk, runs[3].pk}
    assert runs[1].pk not in engine.due_ids(now=later())
    for run in runs.values():
        engine.slice_run(run.pk)
        run.refresh_from_db()
    assert [r.output for r in runs.values()] == [[], ["2:20"], ["3:30"]]


def test_where_on_a_nested_field():
    bot = make_bot("waiter", 'd = WAIT FOR EVENT "shipped" WHERE order.id = "A-1"\nTALK d.carrier\n')
    run = start(bot)
    publish(bot, "shipped", {"order": {"id": "A-2"}, "carrier": "no"})
    publish(bot, "shipped", {"order": {"id": "A-1"}, "carrier": "yes"})

    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.output == ["yes"]


def test_a_timeout_resumes_once_with_event_timed_out_and_publishes_timeout_occurred():
    bot = make_bot("waiter", 'd = WAIT FOR EVENT "never" TIMEOUT 5\nTALK "t=" + event_timed_out + " d=" + d\n')
    run = start(bot)
    assert run.pk not in engine.due_ids()

    assert run.pk in engine.due_ids(now=later(6))
    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now())
    run.refresh_from_db()
    run.wait = {**run.wait, "deadline": timezone.now().isoformat()}
    run.save()
    engine.slice_run(run.pk)
    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.output == ["t=true d="]
    timeouts = WorkflowEvent.objects.filter(event_name="timeout_occurred")
    assert [e.event_data for e in timeouts] == [{"event": "never", "timeout": 5}]


def test_an_event_that_arrives_after_the_deadline_does_not_beat_the_timeout():
    bot = make_bot("waiter", 'd = WAIT FOR EVENT "late" TIMEOUT 5\nTALK "t=" + event_timed_out\n')
    run = start(bot)
    run.wait = {**run.wait, "deadline": (timezone.now() - timedelta(seconds=1)).isoformat()}
    run.resume_at = timezone.now() - timedelta(seconds=1)
    run.save()
    publish(bot, "late", {"x": 1})

    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.output == ["t=true"]


def test_on_event_handlers_run_at_suspension_points_once_per_event():
    bot = make_bot("owner", 'ON EVENT "refund_failed" DO\n  TALK "handled " + event_data.id\nEND ON\n'
                            'd = WAIT FOR EVENT "done" TIMEOUT 600\nTALK "end"\n')
    run = start(bot)
    assert run.wait["events"] == ["refund_failed"]
    publish(bot, "refund_failed", {"id": 1})
    publish(bot, "refund_failed", {"id": 2})

    assert events.waiter_ids(organization_id=bot.organization_id, name="refund_failed", data={}) == [run.pk]
    engine.slice_run(run.pk)
    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "event:done"
    assert run.output == ["handled 1", "handled 2"]
    assert sorted(WorkflowEventConsumption.objects.filter(execution=run).values_list("kind", flat=True)) == [
        "handler", "handler"]
    publish(bot, "done")
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.output == ["handled 1", "handled 2", "end"]


def test_a_handler_also_runs_while_the_owner_waits_on_a_timer():
    bot = make_bot("owner", 'ON EVENT "ping" DO\n  TALK "pong"\nEND ON\nDELAY 600\nTALK "end"\n')
    run = start(bot)
    publish(bot, "ping")

    assert run.pk in engine.due_ids(now=later())
    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "timer"
    assert run.output == ["pong"]


def test_publish_event_from_basic_stores_one_row_with_its_source():
    bot = make_bot("publisher", 'PUBLISH EVENT "refund_done" WITH {"amount": 12.5, "n": 2}\nTALK "ok"\n')
    run = start(bot)

    event = WorkflowEvent.objects.get(event_name="refund_done")
    assert event.event_data == {"amount": 12.5, "n": 2}
    assert (event.source_bot, event.organization, event.workflow_id) == (bot, bot.organization, run.pk)


@pytest.mark.parametrize("name", ["has space", "", "x" * 101, "semi;colon", "ünï", "trailing\n"])
def test_a_bad_event_name_is_refused_naming_it(name):
    bot = make_bot("publisher", "TALK 1\n")
    with pytest.raises(ApplicationError, match="Not an event name"):
        publish(bot, name)


def test_a_bad_event_name_in_a_script_fails_the_run_naming_it():
    bot = make_bot("publisher", 'PUBLISH EVENT "bad name"\n')
    run = start(bot)

    assert run.status == ExecutionStatus.FAILED
    assert "'bad name'" in run.error and "PUBLISH EVENT" in run.error


def test_event_data_the_database_cannot_store_is_refused_naming_where():
    bot = make_bot("publisher", "TALK 1\n")

    with pytest.raises(ApplicationError, match=r"cannot be stored: at note: the text contains a NUL"):
        publish(bot, "refund_done", {"note": "a\x00b"})

    assert not WorkflowEvent.objects.filter(event_name="refund_done").exists()


def test_one_event_wakes_many_waiting_runs_through_messages_of_gb_slice_batch_runs(
        settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.GB_SLICE_BATCH = 2
    bot = make_bot("waiter", WAITER)
    runs = [start(bot) for _ in range(5)]
    sent = []

    class Sent:
        def __init__(self, name):
            self.name = name

        def apply_async(self, args, **options):
            sent.append((self.name, args[0]))

    monkeypatch.setattr("workflows.tasks.run_slice_task", Sent("one"))
    monkeypatch.setattr("workflows.tasks.run_slices_task", Sent("batch"))

    with django_capture_on_commit_callbacks(execute=True):
        publish(bot, "payment_confirmed", {"amount": 5})

    assert sorted(name for name, _ in sent) == ["batch", "batch", "one"]
    assert sorted(str(r.pk) for _, ids in sent for r in runs if str(r.pk) in ids) == sorted(str(r.pk) for r in runs)
    for name, ids in sent:
        engine.slice_runs(ids) if name == "batch" else engine.slice_run(ids)
    for run in runs:
        run.refresh_from_db()
        assert run.status == ExecutionStatus.COMPLETED and run.output == ["got 5 timed_out=false"]


def test_where_on_a_list_matches_the_whole_list_not_its_members():
    bot = make_bot("tagger", 'd = WAIT FOR EVENT "tagged" TIMEOUT 600 WHERE tags = want\nTALK "got " + d.n\n')
    run = start(bot, want=[1])
    publish(bot, "tagged", {"tags": [1, 2], "n": "superset"})
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.WAITING

    publish(bot, "tagged", {"tags": [1], "n": "same"})
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.output == ["got same"]
