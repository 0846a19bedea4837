from django.db import transaction

from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution


@transaction.atomic
def execution_cancel(*, execution: WorkflowExecution) -> WorkflowExecution:
    """Cancel a run that has not finished; refuses (InvalidTransitionError) otherwise.

    The row is locked so a worker finishing the run at the same moment cannot be overwritten.
    """
    execution = WorkflowExecution.objects.select_for_update().get(pk=execution.pk)
    execution.transition_to(ExecutionStatus.CANCELLED)
    execution.waiting_for = ""
    execution.resume_at = None
    execution.save(update_fields=["status", "finished_at", "waiting_for", "resume_at", "updated_at"])
    return execution
