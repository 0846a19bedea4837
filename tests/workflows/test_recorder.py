"""The slice recorder's flush: the saved runs, the new runs and the new steps of a slice, written
in one round trip with the fast SQL on (``GB_ENGINE_FAST_SQL``) and by the ORM with it off, to the
same rows (``make test`` runs this file both ways; ``tests/core/test_fastsql.py`` compares the
statements themselves with Django's)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BotFactory
from tests.workflows.engine_helpers import add_script
from workflows.choices import ExecutionStatus
from workflows.engine.recorder import SliceRecorder
from workflows.models import WorkflowExecution, WorkflowStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    bot = BotFactory(name="recorded")
    script = add_script(bot, "start", "x = 1\n")
    return WorkflowExecution.objects.create(bot=bot, workflow_name="start", script=script,
                                            script_hash=script.source_hash, input={"a": 1})


def test_a_flush_writes_the_saved_run_its_new_children_and_their_steps(run):
    recorder = SliceRecorder()
    run.status, run.state = ExecutionStatus.RUNNING, {"pc": 3}
    recorder.save_run(run)
    children = [WorkflowExecution(bot=run.bot, workflow_name="start", parent=run, root=run, script=run.script,
                                  script_hash=run.script_hash, branch_label=f"B{i}", position=i) for i in range(2)]
    steps = [WorkflowStep(execution=child, label="1", line=1, input={"branch": child.branch_label}) for child in children]
    for child, step in zip(children, steps):
        recorder.add_run(child)
        recorder.add_step(step)

    with CaptureQueriesContext(connection) as queries:
        recorder.flush()

    assert len(queries) == (1 if settings.GB_ENGINE_FAST_SQL else 3)  # one round trip, or save + 2 bulk_create
    run.refresh_from_db()
    assert (run.status, run.state) == (ExecutionStatus.RUNNING, {"pc": 3})
    rows = WorkflowStep.objects.filter(execution__parent=run).order_by("execution__position")
    assert [(s.execution.branch_label, s.input) for s in rows] == [("B0", {"branch": "B0"}), ("B1", {"branch": "B1"})]
    assert [step.pk for step in steps] == [row.pk for row in rows]  # the ids the database gave
    assert recorder.new_runs == {} and recorder.new_steps == []
