from django.db import models


class ExecutionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    WAITING = "waiting", "Waiting"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def finished(cls) -> frozenset["ExecutionStatus"]:
        return frozenset({cls.COMPLETED, cls.FAILED, cls.CANCELLED})


# Where each status may go next. A failed run may be retried (back to pending); completed and
# cancelled runs are final. A pending run fails when its script cannot start (unknown bot in a
# BOT step, a script version that is gone).
EXECUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ExecutionStatus.PENDING: frozenset({ExecutionStatus.RUNNING, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED}),
    ExecutionStatus.RUNNING: frozenset(
        {ExecutionStatus.WAITING, ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED}
    ),
    ExecutionStatus.WAITING: frozenset({ExecutionStatus.RUNNING, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED}),
    ExecutionStatus.COMPLETED: frozenset(),
    ExecutionStatus.FAILED: frozenset({ExecutionStatus.PENDING}),
    ExecutionStatus.CANCELLED: frozenset(),
}


class ExecutionKind(models.TextChoices):
    """Why a run exists: a conversation's script, a workflow started over the API/admin, the
    child of a ``STEP n: BOT`` step, a ``PARALLEL`` branch, or a ``CALL name`` of another script."""

    CONVERSATION = "conversation", "Conversation"
    WORKFLOW = "workflow", "Workflow"
    CHILD = "child", "Bot step"
    BRANCH = "branch", "Parallel branch"
    SCRIPT = "script", "Called script"


class StepStatus(models.TextChoices):
    RUNNING = "running", "Running"
    WAITING = "waiting", "Waiting"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    TIMEOUT = "timeout", "Timed out"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def finished(cls) -> frozenset["StepStatus"]:
        return frozenset({cls.COMPLETED, cls.FAILED, cls.TIMEOUT, cls.CANCELLED})


STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    StepStatus.RUNNING: frozenset(
        {StepStatus.WAITING, StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.TIMEOUT, StepStatus.CANCELLED}
    ),
    StepStatus.WAITING: frozenset(
        {StepStatus.RUNNING, StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.TIMEOUT, StepStatus.CANCELLED}
    ),
    StepStatus.COMPLETED: frozenset(),
    StepStatus.FAILED: frozenset(),
    StepStatus.TIMEOUT: frozenset(),
    StepStatus.CANCELLED: frozenset(),
}


class StepKind(models.TextChoices):
    BOT = "bot", "Bot"
    PARALLEL = "parallel", "Parallel"
    APPROVAL = "approval", "Human approval"
    OTHER = "other", "Other"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    TIMEOUT = "timeout", "Timed out"
    ESCALATED = "escalated", "Escalated"
    CANCELLED = "cancelled", "Cancelled"


# A request is decided once: only a pending request moves (a timed-out one may still be marked
# escalated when its ON TIMEOUT: ESCALATE TO asks the next person).
APPROVAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ApprovalStatus.PENDING: frozenset(
        {ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.TIMEOUT, ApprovalStatus.ESCALATED,
         ApprovalStatus.CANCELLED}
    ),
    ApprovalStatus.APPROVED: frozenset(),
    ApprovalStatus.REJECTED: frozenset(),
    ApprovalStatus.TIMEOUT: frozenset({ApprovalStatus.ESCALATED}),
    ApprovalStatus.ESCALATED: frozenset(),
    ApprovalStatus.CANCELLED: frozenset(),
}
