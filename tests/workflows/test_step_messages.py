"""The engine announces its step records: in the one ``workflow.status`` message per run and slice on
the run's Channels group (real Redis channel layer), with each step's label, attempt, status
and line; and each step row keeps the variables its attempt began with (for a re-run)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from generalbots.core.realtime import flush
from tests.workflows.engine_helpers import drive, make_bot
from workflows.models import WorkflowApproval, WorkflowStep
from workflows.realtime import run_group
from workflows.services import approval_decide, execution_start

pytestmark = pytest.mark.django_db(transaction=True)

WORKFLOW = ('ORCHESTRATE WORKFLOW "steps"\nx = 2\nSTEP 1: x = x * 10\n'
            'STEP 2: HUMAN APPROVAL FROM "lead@corp.example"\nSTEP 3: y = 1 / 0\n')


class Listener:
    """A channel in one run's group; ``steps()`` is every message it got that lists steps."""

    def __init__(self, group: str):
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(group, self.channel)

    def messages(self) -> list[dict]:
        flush()

        async def drain():
            found = []
            while True:
                try:
                    found.append(await asyncio.wait_for(self.layer.receive(self.channel), 0.5))
                except asyncio.TimeoutError:
                    return found
        return async_to_sync(drain)()

    def steps(self) -> list[dict]:
        return [m["data"] for m in self.messages() if "steps" in m["data"]]


def test_a_slice_announces_its_steps_on_the_runs_group():
    bot = make_bot("stepper", WORKFLOW)
    execution = execution_start(bot=bot)
    listener = Listener(run_group(execution.pk))

    drive(execution)

    [message] = [m["data"] for m in listener.messages()]  # one message for the slice: the run's status,
    # with every step it wrote
    assert message["id"] == str(execution.pk) and message["status"] == "waiting"
    assert [(s["label"], s["status"], s["line"]) for s in message["steps"]] == [
        ("1", "completed", 3), ("2", "waiting", 4)]


def test_the_slice_after_an_approval_announces_the_step_completed_and_the_one_that_failed():
    bot = make_bot("stepper", WORKFLOW)
    execution = drive(execution_start(bot=bot))
    listener = Listener(run_group(execution.pk))

    approval_decide(approval=WorkflowApproval.objects.get(execution=execution), decision="approve")
    drive(execution)

    steps = [s for m in listener.steps() for s in m["steps"]]
    assert [(s["label"], s["status"]) for s in steps] == [("2", "completed"), ("3", "failed")]
    assert steps[-1]["line"] == 5 and steps[-1]["attempt"] == 1


def test_each_step_row_keeps_the_variables_its_attempt_began_with():
    bot = make_bot("stepper", WORKFLOW)
    execution = drive(execution_start(bot=bot, variables={"who": "ana"}))

    first, second = WorkflowStep.objects.filter(execution=execution).order_by("id")
    assert first.variables["x"] == 2 and first.variables["who"] == "ana"
    assert second.variables["x"] == 20
