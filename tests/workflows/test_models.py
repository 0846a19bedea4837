import pytest

from workflows.choices import EXECUTION_TRANSITIONS, ExecutionStatus
from workflows.exceptions import InvalidTransitionError
from workflows.models import WorkflowExecution
from workflows.services import execution_cancel
from tests.factories import WorkflowExecutionFactory

ALLOWED = [(src, dst) for src, targets in EXECUTION_TRANSITIONS.items() for dst in targets]
REFUSED = [(src, dst) for src in ExecutionStatus for dst in ExecutionStatus if dst not in EXECUTION_TRANSITIONS[src]]


def test_every_status_has_an_entry_in_the_transitions_map():
    assert set(EXECUTION_TRANSITIONS) == set(ExecutionStatus)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transitions_change_the_status(source, target):
    execution = WorkflowExecution(status=source)

    execution.transition_to(target)

    assert execution.status == target
    assert (execution.finished_at is not None) == (target in ExecutionStatus.finished())


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_other_transitions_are_refused(source, target):
    execution = WorkflowExecution(status=source)

    with pytest.raises(InvalidTransitionError):
        execution.transition_to(target)

    assert execution.status == source


def test_final_statuses_go_nowhere():
    assert not EXECUTION_TRANSITIONS[ExecutionStatus.COMPLETED]
    assert not EXECUTION_TRANSITIONS[ExecutionStatus.CANCELLED]


@pytest.mark.django_db
def test_cancel_stops_a_waiting_run_and_clears_its_wake_up():
    execution = WorkflowExecutionFactory(status=ExecutionStatus.WAITING, waiting_for="event:paid")

    execution_cancel(execution=execution)

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.CANCELLED
    assert execution.waiting_for == "" and execution.finished_at is not None


@pytest.mark.django_db
def test_cancel_refuses_a_completed_run():
    execution = WorkflowExecutionFactory(status=ExecutionStatus.COMPLETED)

    with pytest.raises(InvalidTransitionError):
        execution_cancel(execution=execution)

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED
