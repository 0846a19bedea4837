"""Many runs sliced in one transaction (workflows.engine.batches): what one slice guarantees, each
run of a batch keeps — a failing run leaves its batch-mates resumed, every woken run resumes
exactly once, outside effects are not repeated."""

import pytest
from django.core import mail
from django.db import connection, transaction

from tests.workflows.engine_helpers import make_bot
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.engine import batches
from workflows.models import WorkflowEffect, WorkflowEventConsumption, WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

WAITER = 'd = WAIT FOR EVENT "go" TIMEOUT 600\nTALK "got " + d.n\n'


def waiting(bot, count):
    runs = [execution_start(bot=bot) for _ in range(count)]
    for run in runs:
        engine.slice_run(run.pk)
    assert WorkflowExecution.objects.filter(pk__in=[r.pk for r in runs], status=ExecutionStatus.WAITING).count() == count
    return runs


def fetched(runs):
    return [WorkflowExecution.objects.get(pk=run.pk) for run in runs]


@pytest.fixture
def breaking(monkeypatch):
    """``breaking(run, how)``: the slice of ``run`` in a batch breaks after it ran — on a database
    error (a statement PostgreSQL refuses, inside the batch's transaction) or on a bug."""
    broken = {}
    real = batches.advance

    def advance(run, wake, ctx):
        result = real(run, wake, ctx)
        how = broken.get(str(run.pk))
        if how == "database":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")
        elif how == "bug":
            raise RuntimeError("a bug in the engine")
        return result

    monkeypatch.setattr(batches, "advance", advance)
    return lambda run, how: broken.__setitem__(str(run.pk), how)


def test_a_batch_resumes_every_run_woken_by_one_event():
    runs = waiting(make_bot("waiter", WAITER), 4)
    events.event_publish(organization=runs[0].bot.organization, name="go", data={"n": 7})

    assert engine.slice_runs([run.pk for run in runs]) == 4

    assert [(r.status, r.output) for r in fetched(runs)] == [(ExecutionStatus.COMPLETED, ["got 7"])] * 4


def test_a_run_failing_on_a_database_error_leaves_its_batch_mates_resumed_and_keeps_its_event(breaking):
    first, broken, last = waiting(make_bot("waiter", WAITER), 3)
    events.event_publish(organization=first.bot.organization, name="go", data={"n": 1})
    breaking(broken, "database")

    assert engine.slice_runs([first.pk, broken.pk, last.pk]) == 2

    first, broken, last = fetched([first, broken, last])
    assert (first.status, last.status) == (ExecutionStatus.COMPLETED, ExecutionStatus.COMPLETED)
    assert broken.status == ExecutionStatus.WAITING and broken.slice_attempts == 1
    assert not WorkflowEventConsumption.objects.filter(execution=broken).exists()  # the event is back in its mailbox
    breaking(broken, None)
    engine.slice_runs([broken.pk])  # what the sweeper does next
    broken.refresh_from_db()
    assert (broken.status, broken.output) == (ExecutionStatus.COMPLETED, ["got 1"])


def test_a_run_failing_on_a_bug_is_failed_alone_and_its_batch_mates_resume(breaking):
    first, broken, last = waiting(make_bot("waiter", WAITER), 3)
    events.event_publish(organization=first.bot.organization, name="go", data={"n": 2})
    breaking(broken, "bug")

    engine.slice_runs([first.pk, broken.pk, last.pk])

    first, broken, last = fetched([first, broken, last])
    assert (first.output, last.output) == (["got 2"], ["got 2"])
    assert broken.status == ExecutionStatus.FAILED and "internal error (RuntimeError)" in broken.error
    assert broken.output in (None, [])  # what the undone slice said was not kept


def test_every_woken_run_resumes_exactly_once_when_batches_repeat_and_overlap(settings):
    settings.GB_SLICE_BATCH = 3
    runs = waiting(make_bot("waiter", WAITER), 7)
    events.event_publish(organization=runs[0].bot.organization, name="go", data={"n": 3})
    ids = [run.pk for run in runs]

    for _, args in engine.slice_messages(ids):  # each message delivered twice, and one batch of all
        batch = args[0] if isinstance(args[0], list) else [args[0]]
        engine.slice_runs(batch + batch[:1])
        engine.slice_runs(batch)
    engine.slice_runs(ids)

    assert all(r.output == ["got 3"] and r.status == ExecutionStatus.COMPLETED for r in fetched(runs))
    assert WorkflowEventConsumption.objects.filter(execution__in=ids).count() == 7


def test_an_outside_effect_in_a_batch_is_recorded_with_its_run_and_never_repeated(breaking):
    bot = make_bot("mailer", 'd = WAIT FOR EVENT "go" TIMEOUT 600\nSEND MAIL "a@example.com", "hi", d.n\n'
                             'TALK "sent"\n')
    mailer, broken = waiting(bot, 2)
    events.event_publish(organization=bot.organization, name="go", data={"n": "x"})
    breaking(broken, "database")  # fails after its own mail: that one is sent again by its retry

    engine.slice_runs([mailer.pk, broken.pk])
    engine.slice_runs([mailer.pk])  # a redelivered message

    mailer.refresh_from_db()
    assert (mailer.status, mailer.output) == (ExecutionStatus.COMPLETED, ["sent"])
    assert WorkflowEffect.objects.filter(execution=mailer).count() == 1
    assert len(mail.outbox) == 2  # one per run: the mailer's, and the broken run's (its slice undone after it)
    assert not WorkflowEffect.objects.filter(execution=broken).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_leaves_a_run_another_worker_holds_to_that_worker(monkeypatch):
    import threading

    monkeypatch.setattr("workflows.engine.enqueue_slice", lambda pk: None)
    monkeypatch.setattr("workflows.events.send_slices", lambda ids: len(ids))
    first, held = waiting(make_bot("waiter", WAITER), 2)
    events.event_publish(organization=first.bot.organization, name="go", data={"n": 4})
    locked, release = threading.Event(), threading.Event()

    def hold():  # another worker's transaction on the row
        from django.db import connections, transaction
        with transaction.atomic(using="default"):
            WorkflowExecution.objects.select_for_update().filter(pk=held.pk).first()
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait(10)
    try:
        assert engine.slice_runs([first.pk, held.pk]) == 1
    finally:
        release.set()
        thread.join()
    assert [r.status for r in fetched([first, held])] == [ExecutionStatus.COMPLETED, ExecutionStatus.WAITING]


def test_branches_ending_in_one_batch_complete_their_join_in_that_batch():
    bot = make_bot("fanner", 'STEP 1: PARALLEL\n  BRANCH A: WAIT FOR EVENT "go" TIMEOUT 600\n'
                             '  BRANCH B: WAIT FOR EVENT "go" TIMEOUT 600\n  BRANCH C: WAIT FOR EVENT "go" TIMEOUT 600\n'
                             'END PARALLEL\nTALK "joined"\n')
    parent = execution_start(bot=bot)
    engine.slice_run(parent.pk)
    branches = list(WorkflowExecution.objects.filter(parent=parent).order_by("position"))
    assert [b.status for b in branches] == [ExecutionStatus.WAITING] * 3
    events.event_publish(organization=bot.organization, name="go", data={})

    engine.slice_runs([b.pk for b in branches])  # no sweep after: the batch itself continues the parent

    parent.refresh_from_db()
    assert (parent.status, parent.output) == (ExecutionStatus.COMPLETED, ["joined"])


def test_a_batch_looks_up_a_bot_its_steps_name_once_and_only_in_each_runs_organization():
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory

    make_bot("helper", 'TALK "helped"\n')
    flow = make_bot("flow", 'STEP 1: BOT "helper" "go"\n')
    other = make_bot("intruder", 'STEP 1: BOT "helper" "go"\n', organization=OrganizationFactory())
    runs = [execution_start(bot=flow) for _ in range(4)]
    script = other.scripts.get()  # the start refuses a flow naming an unknown bot: the row as if it had
    foreign = WorkflowExecution.objects.create(bot=other, workflow_name="start", script=script,
                                               script_hash=script.source_hash, is_workflow=True)

    with CaptureQueriesContext(connection) as queries:
        engine.slice_runs([runs[0].pk, foreign.pk, *[run.pk for run in runs[1:]]])

    lookups = [q["sql"] for q in queries.captured_queries if '"bots"."name" = ' in q["sql"]]
    assert len(lookups) == 2  # one per organization, not one per run
    assert [r.status for r in fetched(runs)] == [ExecutionStatus.COMPLETED] * 4
    failed = fetched([foreign])[0]
    assert failed.status == ExecutionStatus.FAILED and "helper" in failed.error


def test_a_bot_step_naming_a_bot_without_start_bas_fails_naming_it():
    make_bot("helper", 'TALK "x"\n', script="other")  # no start.bas
    flow = make_bot("flow", 'STEP 1: BOT "helper" "go"\n')
    script = flow.scripts.get()  # the start refuses it: the row as if start.bas was removed after it
    run = WorkflowExecution.objects.create(bot=flow, workflow_name="start", script=script,
                                           script_hash=script.source_hash, is_workflow=True)

    engine.slice_runs([run.pk])

    run.refresh_from_db()
    assert run.status == ExecutionStatus.FAILED and "bot helper has no start.bas" in run.error


def test_the_lock_of_a_batch_sends_one_statement_text_for_any_number_of_runs():
    """``IN (%s, ...)`` would be a text per batch size, each cached by psycopg in every worker
    (memory that grew for thousands of runs as new batch sizes came)."""
    bot = make_bot("lock-text", 'TALK "x"\n')
    runs = [execution_start(bot=bot) for _ in range(5)]
    texts = []

    def record(execute, sql, params, many, context):
        if "FOR UPDATE" in sql and "workflow_executions" in sql:
            texts.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for count in (2, 5):
            with transaction.atomic():
                locked = batches._lock_many([str(run.pk) for run in runs[:count]])
            assert list(locked) == [str(run.pk) for run in runs[:count]]

    assert len(texts) == 2 and texts[0] == texts[1], texts
