"""Re-running one step of a finished run from the designer: a new run of the STEP's statement,
on its own line, started with the variables the step began with, linked to the original; the
run's step list (what the canvas colours by) with its Re-run buttons; permissions."""

import pytest

from designer.rerun import step_program
from generalbots.core.exceptions import ApplicationError
from tests import factories
from tests.bots.conftest import grant
from tests.workflows.engine_helpers import drive, make_bot
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution, WorkflowStep
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

WORKFLOW = ('ORCHESTRATE WORKFLOW "pricing"\n'
            'price = 10\n'
            'STEP 1: price = price * 2\n'
            'IF price > 5 THEN\n'
            '  STEP 2: TALK "price " + price\n'
            '    RETRY 1\n'
            'END IF\n'
            'STEP 3: price = price / zero\n')


@pytest.fixture
def finished(client):
    """A failed run of ``pricing`` (STEP 3 divides by zero), its document and an operator."""
    user = factories.UserFactory()
    bot = make_bot("pricing", WORKFLOW)
    grant(user, bot, operate=True)
    client.force_login(user)
    document = factories.DesignerDocumentFactory(bot=bot, name="start", basic_source=WORKFLOW)
    execution = drive(execution_start(bot=bot, variables={"zero": 0}))
    assert execution.status == ExecutionStatus.FAILED
    return user, document, execution


def step(execution, label):
    return WorkflowStep.objects.get(execution=execution, label=label)


def test_the_one_step_program_keeps_the_step_on_its_line_with_its_options():
    program = step_program(WORKFLOW, line=5, label="2", workflow_name='the "pricing"')

    lines = program.splitlines()
    assert lines[0] == "ORCHESTRATE WORKFLOW \"the 'pricing'\""
    assert lines[4:] == ['  STEP 2: TALK "price " + price', "    RETRY 1", "END WORKFLOW"]
    assert lines[1:4] == ["", "", ""]


def test_a_line_that_holds_no_step_is_refused():
    with pytest.raises(ApplicationError, match="STEP 9 is not on line 2"):
        step_program(WORKFLOW, line=2, label="9", workflow_name="pricing")


def test_the_step_list_shows_every_step_with_its_line_status_and_a_rerun_button(client, finished):
    _, document, execution = finished

    response = client.get(f"/designer/{document.pk}/runs/{execution.pk}/steps/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-label="2" data-line="5" data-attempt="1" data-status="completed"' in content
    assert 'data-label="3" data-line="8" data-attempt="1" data-status="failed"' in content
    assert content.count('class="dz-rerun"') == 3


def test_rerunning_a_step_starts_a_linked_run_of_that_step_with_the_variables_it_began_with(client, finished):
    _, document, execution = finished
    second = step(execution, "2")

    response = client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{second.pk}/rerun/")

    assert response.status_code == 200
    rerun = WorkflowExecution.objects.get(rerun_of=execution)
    assert f'data-run="{rerun.pk}"' in response.content.decode()
    assert rerun.input["price"] == 20 and rerun.script.is_current is False
    rerun = drive(rerun)
    assert rerun.status == ExecutionStatus.COMPLETED and rerun.output == ["price 20"]
    [again] = WorkflowStep.objects.filter(execution=rerun)
    assert (again.label, again.line, again.status) == ("2", 5, "completed")
    assert client.get(f"/api/workflows/{rerun.pk}/").json()["rerun_of"] == str(execution.pk)  # a normal run, linked


def test_rerunning_the_failed_step_fails_on_the_same_line_again(client, finished):
    _, document, execution = finished

    client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{step(execution, '3').pk}/rerun/")

    rerun = drive(WorkflowExecution.objects.get(rerun_of=execution))
    assert rerun.status == ExecutionStatus.FAILED and rerun.error_line == 8


def test_a_step_of_a_run_still_going_cannot_be_rerun(client, finished):
    _, document, execution = finished
    WorkflowExecution.objects.filter(pk=execution.pk).update(status=ExecutionStatus.WAITING)

    response = client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{step(execution, '1').pk}/rerun/")

    assert response.status_code == 409 and b"still going" in response.content
    assert not WorkflowExecution.objects.filter(rerun_of=execution).exists()


def test_a_read_only_grant_sees_the_steps_without_buttons_and_cannot_rerun(client, finished):
    _, document, execution = finished
    watcher = factories.UserFactory()
    grant(watcher, document.bot)
    client.force_login(watcher)

    listed = client.get(f"/designer/{document.pk}/runs/{execution.pk}/steps/")
    refused = client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{step(execution, '1').pk}/rerun/")

    assert listed.status_code == 200 and b"dz-rerun" not in listed.content
    assert refused.status_code == 403
    assert not WorkflowExecution.objects.filter(rerun_of=execution).exists()


def test_another_bots_run_is_not_found_through_a_document(client, finished):
    user, _, execution = finished
    mine = factories.BotFactory(name="mine")
    grant(user, mine, operate=True)
    document = factories.DesignerDocumentFactory(bot=mine)

    response = client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{step(execution, '1').pk}/rerun/")

    assert response.status_code == 404
    assert not WorkflowExecution.objects.filter(rerun_of=execution).exists()


def test_a_step_recorded_without_its_variables_says_so(client, finished):
    _, document, execution = finished
    WorkflowStep.objects.filter(execution=execution, label="1").update(variables=None)

    response = client.post(f"/designer/{document.pk}/runs/{execution.pk}/steps/{step(execution, '1').pk}/rerun/")

    assert response.status_code == 400 and b"recorded without the variables" in response.content
