from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from generalbots.core.exceptions import ApplicationError
from tests.workflows.engine_helpers import add_script, drive, make_bot
from workflows import engine
from workflows.choices import ExecutionKind, ExecutionStatus, StepKind, StepStatus
from workflows.models import WorkflowEffect, WorkflowExecution, WorkflowStep
from workflows.services import execution_retry, execution_start

pytestmark = pytest.mark.django_db

FLOW = """ORCHESTRATE WORKFLOW "refund-flow"
total = 10
STEP 1: BOT "triage" "classify"
STEP 2: BOT "payer" "pay"
TALK "done " + kind + " " + paid
END WORKFLOW
"""


def test_bot_steps_run_inline_and_merge_variables_back():
    make_bot("triage", 'kind = "refund"\nTALK "triaged " + input\n')
    make_bot("payer", "paid = total * 2\n")
    bot = make_bot("orchestrator", FLOW)

    run = drive(execution_start(bot=bot, variables={"customer": "Ana"}))

    assert run.status == ExecutionStatus.COMPLETED
    assert run.workflow_name == "refund-flow" and run.is_workflow
    assert run.output == ["done refund 20"]
    steps = list(run.steps.order_by("id"))
    assert [(s.label, s.status, s.kind) for s in steps] == [("1", StepStatus.COMPLETED, StepKind.BOT),
                                                             ("2", StepStatus.COMPLETED, StepKind.BOT)]
    assert steps[0].output == ["triaged classify"]
    assert steps[0].child.kind == ExecutionKind.CHILD and steps[0].child.status == ExecutionStatus.COMPLETED
    assert steps[0].duration is not None and run.current_step == 2


def test_a_workflow_naming_an_unknown_bot_fails_at_start_naming_it():
    bot = make_bot("orchestrator", 'STEP 1: BOT "ghost" "boo"\n')

    with pytest.raises(ApplicationError, match="ghost"):
        execution_start(bot=bot)

    assert not WorkflowExecution.objects.filter(bot=bot).exists()


def test_unknown_bots_behind_delegate_and_behind_other_bots_fail_at_start():
    make_bot("middle", 'STEP 1: BOT "ghost2" "boo"\n')
    bot = make_bot("orchestrator", 'answer = DELEGATE "hi" TO BOT "ghost1"\nSTEP 2: BOT "middle" "go"\n')

    with pytest.raises(ApplicationError) as raised:
        execution_start(bot=bot)

    assert raised.value.extra["bots"] == ["ghost1", "ghost2"]
    assert "ghost1, ghost2" in str(raised.value)


def test_the_statements_of_a_slice_do_not_grow_with_its_bot_steps():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_bot("noop", "x = 1\n")
    counts = {}
    for n in (2, 20):
        bot = make_bot(f"flow{n}", "".join(f'STEP {i}: BOT "noop" "go"\n' for i in range(1, n + 1)))
        run = execution_start(bot=bot)
        with CaptureQueriesContext(connection) as queries:
            engine.slice_run(run.pk)
        run.refresh_from_db()
        assert run.status == ExecutionStatus.COMPLETED and run.steps.count() == n
        counts[n] = len(queries)

    assert counts[20] == counts[2], counts


def test_slices_read_a_script_version_once_per_process_and_lock_without_joining_it():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bot = make_bot("cached", "x = 1\n")
    engine.slice_run(execution_start(bot=bot).pk)
    run = execution_start(bot=bot)

    with CaptureQueriesContext(connection) as queries:
        engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED
    assert not [q["sql"] for q in queries if "bot_scripts" in q["sql"]]
    lock = next(q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and q["sql"].startswith("SELECT"))
    assert '"bots"' in lock and "workflow_executions" in lock


def test_a_slice_leaves_no_cycle_for_the_garbage_collector():
    """A run's VM, frames, host and slice context are freed as soon as the slice ends (a frame
    holds its VM weakly): garbage that waits for the collector grows a worker's memory."""
    import gc

    make_bot("noop", "x = 1\n")
    flow = make_bot("flow", 'STEP 1: BOT "noop" "go"\nSTEP 2: PARALLEL\n  BRANCH A\n    a = 1\n  END BRANCH\n'
                            '  BRANCH B\n    b = 2\n  END BRANCH\nEND PARALLEL\nWAIT 5\n')
    drive(execution_start(bot=flow))  # compiled, cached, connections open
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector frees lands in gc.garbage instead
    try:
        run = drive(execution_start(bot=flow))
        engine.slice_run(run.pk, now=timezone.now() + timedelta(seconds=10))
        gc.collect()
        kinds = {type(obj).__qualname__ for obj in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED
    assert not kinds & {"VM", "Frame", "RunHost", "EffectCache", "SliceContext", "WorkflowExecution"}, kinds


def test_variables_must_be_an_object_of_simple_names():
    from django.core.exceptions import ValidationError

    bot = make_bot("orchestrator", 'TALK "hi"\n')
    with pytest.raises(ValidationError, match="not-a-name"):
        execution_start(bot=bot, variables={"not-a-name": 1})
    with pytest.raises(ValidationError):
        execution_start(bot=bot, variables=[1, 2])


def test_a_child_that_waits_suspends_the_parent_until_it_ends():
    make_bot("slow", 'WAIT 30\nanswer = 42\n')
    bot = make_bot("orchestrator", 'STEP 1: BOT "slow" "think"\nTALK "got " + answer\n')
    run = drive(execution_start(bot=bot))
    child = run.children.get()
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "bot"
    assert child.status == ExecutionStatus.WAITING and child.waiting_for == "timer"

    WorkflowExecution.objects.filter(pk=child.pk).update(resume_at=timezone.now() - timedelta(seconds=1))
    engine.slice_run(child.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["got 42"]


def test_parallel_branches_merge_in_order_and_report_conflicts():
    bot = make_bot("orchestrator", """STEP 1: PARALLEL
  BRANCH A
    x = "a"
    a = 1
  END BRANCH
  BRANCH B
    x = "b"
    WAIT 5
    b = 2
  END BRANCH
END PARALLEL
TALK x + a + b
""")
    run = drive(execution_start(bot=bot))
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "parallel"
    branches = list(run.children.order_by("position"))
    assert [(b.branch_label, b.status) for b in branches] == [("A", ExecutionStatus.COMPLETED),
                                                               ("B", ExecutionStatus.WAITING)]

    WorkflowExecution.objects.filter(pk=branches[1].pk).update(resume_at=timezone.now())
    run = drive(run)

    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["b12"]
    step = run.steps.get()
    assert step.kind == StepKind.PARALLEL and step.conflicts == ["x"]


def test_a_failing_step_fails_the_run_with_step_line_and_message_and_cancels_waiting_branches():
    bot = make_bot("orchestrator", """TALK "before"
STEP 3: PARALLEL
  BRANCH A
    WAIT 60
  END BRANCH
  BRANCH B
    THROW "no stock"
  END BRANCH
END PARALLEL
""")
    run = drive(execution_start(bot=bot))

    assert run.status == ExecutionStatus.FAILED
    assert run.error_step == "3" and run.error_line == 2
    assert "branch B failed" in run.error and "no stock" in run.error
    step = run.steps.get()
    assert step.status == StepStatus.FAILED and "no stock" in step.error
    assert sorted(run.children.values_list("branch_label", "status")) == [
        ("A", ExecutionStatus.CANCELLED), ("B", ExecutionStatus.FAILED)]


def test_retry_restarts_the_failed_step_not_the_workflow():
    make_bot("flaky", 'IF fixed THEN\n  ok = 1\nELSE\n  THROW "down"\nEND IF\n')
    bot = make_bot("orchestrator", 'TALK "once"\nSTEP 1: BOT "flaky" "go"\nTALK "after " + ok\n')
    run = drive(execution_start(bot=bot))
    assert run.status == ExecutionStatus.FAILED and "down" in run.error and run.error_step == "1"
    assert run.steps.get().error_line == 2  # handed over with the error, not read back out of its text

    # the operator fixes the cause (here: the variable the child reads) and retries
    run.checkpoint["globals"]["fixed"] = True
    WorkflowExecution.objects.filter(pk=run.pk).update(checkpoint=run.checkpoint)
    run = drive(execution_retry(execution=run))

    assert run.status == ExecutionStatus.COMPLETED
    assert run.output == ["once", "after 1"]
    assert list(run.steps.order_by("id").values_list("attempt", "status")) == [
        (1, StepStatus.FAILED), (2, StepStatus.COMPLETED)]
    assert run.attempts == 2


def test_step_retry_waits_on_a_database_timer_between_attempts():
    bot = make_bot("orchestrator", 'STEP 1: THROW "boom"\n  RETRY 1\n')
    run = drive(execution_start(bot=bot))
    assert run.status == ExecutionStatus.WAITING and run.waiting_for == "timer" and run.resume_at is not None

    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now())
    run = drive(run)

    assert run.status == ExecutionStatus.FAILED
    assert list(run.steps.values_list("attempt", flat=True).order_by("attempt")) == [1, 2]


def test_runs_stay_pinned_to_the_script_they_started_with():
    bot = make_bot("orchestrator", 'WAIT 10\nTALK "old"\n')
    run = drive(execution_start(bot=bot))
    bot.scripts.update(is_current=False)
    add_script(bot, "start", 'WAIT 10\nTALK "new"\n')

    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now())
    run = drive(run)

    assert run.output == ["old"]


def test_outside_effects_are_recorded_and_never_repeated_when_a_slice_runs_again():
    bot = make_bot("orchestrator", 'SEND MAIL "a@example.com", "hi", "body"\nWAIT 60\n')
    run = drive(execution_start(bot=bot))
    assert len(mail.outbox) == 1
    effect = WorkflowEffect.objects.get(execution=run)
    assert effect.method == "send_mail"

    # a worker that died after the effect's commit: the run is back at the effect wait
    state = dict(run.state)
    WorkflowExecution.objects.filter(pk=run.pk).update(
        status=ExecutionStatus.WAITING, waiting_for="effect", wait={"kind": "effect", "key": effect.key},
        resume_at=None, state={**state, "frames": state["frames"]})
    run.refresh_from_db()
    # the restored VM resumes with the recorded result: no second mail
    engine.slice_run(run.pk)
    assert len(mail.outbox) == 1


def test_the_sweeper_finds_due_timers_and_old_pending_runs():
    bot = make_bot("orchestrator", 'WAIT 1\n')
    run = drive(execution_start(bot=bot))
    assert run.pk not in engine.due_ids()

    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now() - timedelta(seconds=1))
    assert run.pk in engine.due_ids()

    pending = execution_start(bot=bot)
    WorkflowExecution.objects.filter(pk=pending.pk).update(updated_at=timezone.now() - timedelta(seconds=10))
    assert pending.pk in engine.due_ids()


def test_the_sweeper_queues_a_run_again_only_after_the_requeue_delay(settings, django_capture_on_commit_callbacks,
                                                                     monkeypatch):
    settings.GB_SWEEP_REQUEUE_SECONDS = 15
    queued = []
    monkeypatch.setattr("workflows.engine.enqueue_slices", queued.extend)
    bot = make_bot("orchestrator", 'WAIT 1\nTALK "done"\n')
    run = drive(execution_start(bot=bot))
    due = run.resume_at + timedelta(seconds=settings.GB_SWEEP_GRACE_SECONDS + 1)  # the timer tick's is left behind
    queued.clear()  # the start's own message

    with django_capture_on_commit_callbacks(execute=True):
        first = engine.sweep(now=due)
    with django_capture_on_commit_callbacks(execute=True):
        backlog = engine.sweep(now=due + timedelta(seconds=5))  # still queued: not a lost message
    with django_capture_on_commit_callbacks(execute=True):
        later = engine.sweep(now=due + timedelta(seconds=16))  # long enough: maybe lost, queue again

    assert (first, backlog, later) == (1, 0, 1)
    assert queued == [run.pk, run.pk]
    WorkflowExecution.objects.filter(pk=run.pk).update(resume_at=timezone.now() - timedelta(seconds=1))
    engine.slice_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.swept_at is None


def test_prune_deletes_old_finished_runs_with_their_children_only():
    make_bot("triage", "x = 1\n")
    bot = make_bot("orchestrator", 'STEP 1: BOT "triage" "go"\n')
    old = drive(execution_start(bot=bot))
    recent = drive(execution_start(bot=bot))
    WorkflowExecution.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))

    assert engine.prune(days=30) == 1

    assert not WorkflowExecution.objects.filter(pk=old.pk).exists()
    assert not WorkflowStep.objects.filter(execution_id=old.pk).exists()
    assert WorkflowExecution.objects.filter(root=recent).exists() or recent.children.exists()


@pytest.mark.django_db(transaction=True)
def test_a_slice_replaces_a_connection_the_database_dropped_while_idle(monkeypatch):
    import psycopg
    from django.db import connection

    monkeypatch.setattr("workflows.engine.enqueue_slice", lambda pk: None)
    bot = make_bot("orchestrator", 'TALK "still here"\n')
    run = execution_start(bot=bot)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    with psycopg.connect(host=params.get("host"), port=params.get("port"), user=params.get("user"),
                         dbname=params["dbname"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    engine.slice_run(run.pk)

    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["still here"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_slice_messages_carry_gb_slice_batch_runs_each(settings):
    settings.GB_SLICE_BATCH = 2
    messages = [(task.name, args) for task, args in engine.slice_messages(["a", "b", "c", "d", "e"])]

    assert messages == [("workflows.run_slices", (["a", "b"],)), ("workflows.run_slices", (["c", "d"],)),
                        ("workflows.run_slice", ("e",))]
