from django.conf import settings
from django.db import models
from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.core.models import BaseModel, Organization
from workflows.choices import EXECUTION_TRANSITIONS, ExecutionStatus
from workflows.exceptions import InvalidTransitionError


class WorkflowExecutionQuerySet(models.QuerySet):
    def unfinished(self):
        return self.exclude(status__in=ExecutionStatus.finished())

    def due(self, now=None):
        """Waiting runs whose timer has passed."""
        return self.filter(status=ExecutionStatus.WAITING, resume_at__lte=now or timezone.now())


class WorkflowExecution(BaseModel):
    """One run of a script: the program it started with plus the VM state (DESIGN §4)."""

    bot = models.ForeignKey(Bot, on_delete=models.PROTECT, related_name="executions")
    workflow_name = models.CharField(max_length=200)
    current_step = models.PositiveIntegerField(default=0, help_text="Number of the STEP running (0: none yet).")
    state = models.JSONField(default=dict, blank=True, help_text="The VM state: resumable by any worker.")
    status = models.CharField(
        max_length=16, choices=ExecutionStatus.choices, default=ExecutionStatus.PENDING, db_index=True
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    script_hash = models.CharField(max_length=64, blank=True, help_text="Source hash the run is pinned to.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    waiting_for = models.CharField(max_length=200, blank=True, help_text="What wakes the run up.")
    resume_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = WorkflowExecutionQuerySet.as_manager()

    class Meta:
        db_table = "workflow_executions"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["bot", "status"], name="wfexec_bot_status_idx")]

    def __str__(self) -> str:
        return f"{self.workflow_name} ({str(self.id)[:8]})"

    @property
    def is_finished(self) -> bool:
        return self.status in ExecutionStatus.finished()

    def can_transition_to(self, status: str) -> bool:
        return status in EXECUTION_TRANSITIONS[self.status]

    def transition_to(self, status: str) -> None:
        """Move to ``status`` if the transitions map allows it (the caller saves)."""
        if not self.can_transition_to(status):
            raise InvalidTransitionError(
                f"A {self.get_status_display().lower()} run cannot become {status}.",
                extra={"execution": str(self.id), "from": self.status, "to": str(status)},
            )
        self.status = status
        self.finished_at = timezone.now() if status in ExecutionStatus.finished() else None


class WorkflowEvent(models.Model):
    """A published event; the auto-increment id orders events for their consumers."""

    workflow = models.ForeignKey(
        WorkflowExecution, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    event_name = models.CharField(max_length=200, db_index=True)
    event_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    source_bot = models.ForeignKey(Bot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="workflow_events")

    class Meta:
        db_table = "workflow_events"
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "event_name", "id"], name="wfevent_org_name_idx")]

    def __str__(self) -> str:
        return f"{self.event_name} #{self.pk}"
