from django.conf import settings
from django.db import models
from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.core.models import BaseModel, Organization
from workflows.choices import (APPROVAL_TRANSITIONS, EXECUTION_TRANSITIONS, STEP_TRANSITIONS, ApprovalStatus,
                               ExecutionKind, ExecutionStatus, StepKind, StepStatus)
from workflows.exceptions import InvalidTransitionError


class WorkflowExecutionQuerySet(models.QuerySet):
    def unfinished(self):
        return self.exclude(status__in=ExecutionStatus.finished())

    def due(self, now=None):
        """Waiting runs whose timer has passed."""
        return self.filter(status=ExecutionStatus.WAITING, resume_at__lte=now or timezone.now())

    def workflows(self):
        """Runs shown as workflows: started as one, or that ran ORCHESTRATE WORKFLOW."""
        return self.filter(is_workflow=True)

    def top_level(self):
        return self.filter(parent__isnull=True)


class WorkflowExecution(BaseModel):
    """One run of a script: the program it started with plus the VM state (DESIGN §4)."""

    # Indexes: every one is written by each inline child and each status change, so columns
    # covered by a composite index (bot, status; status, updated_at) have none of their own.
    bot = models.ForeignKey(Bot, on_delete=models.PROTECT, related_name="executions", db_index=False)
    workflow_name = models.CharField(max_length=200)
    current_step = models.PositiveIntegerField(default=0, help_text="Number of the STEP running (0: none yet).")
    state = models.JSONField(default=dict, blank=True, help_text="The VM state: resumable by any worker.")
    status = models.CharField(
        max_length=16, choices=ExecutionStatus.choices, default=ExecutionStatus.PENDING
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", db_index=False
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants", db_index=False
    )
    script_hash = models.CharField(max_length=64, blank=True, help_text="Source hash the run is pinned to.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    waiting_for = models.CharField(max_length=200, blank=True, help_text="What wakes the run up.")
    resume_at = models.DateTimeField(null=True, blank=True)
    swept_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the sweeper last queued this run; cleared by every slice (see engine.sweep).",
    )
    slice_attempts = models.PositiveSmallIntegerField(
        default=0, editable=False,
        help_text="Slices begun since the last one that committed; a worker dying mid-slice leaves it "
                  "counted (see engine.slice_one).",
    )
    # --- engine fields (workflows.engine) ---
    kind = models.CharField(max_length=16, choices=ExecutionKind.choices, default=ExecutionKind.WORKFLOW)
    is_workflow = models.BooleanField(
        default=False, help_text="Started as a workflow or ran ORCHESTRATE WORKFLOW: shown in dashboards."
    )
    conversation = models.ForeignKey(
        "bots.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="executions", db_index=False,
        help_text="The conversation of a conversation run; none for workflows started over the API.",
    )
    script = models.ForeignKey(
        "bots.BotScript", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False,
        help_text="The script version the run is pinned to (also named by script_hash).",
    )
    current_step_label = models.CharField(max_length=50, blank=True, help_text="Label of the STEP running.")
    branch_label = models.CharField(max_length=50, blank=True, help_text="PARALLEL branch label of a branch run.")
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings (branch order).")
    parent_key = models.CharField(
        max_length=40, blank=True, help_text="Effect key ('seq:line') of the parent's BOT/PARALLEL call that made it."
    )
    input = models.JSONField(default=dict, blank=True, help_text="Variables the run started with.")
    output = models.JSONField(default=list, blank=True, help_text="What the run said with TALK (workflow runs).")
    result = models.JSONField(null=True, blank=True, help_text="The RETURN value of a finished run.")
    changes = models.JSONField(default=dict, blank=True, help_text="Variables created or changed (child runs).")
    wait = models.JSONField(default=dict, blank=True, help_text="The wait spec of a waiting run.")
    checkpoint = models.JSONField(
        null=True, blank=True, help_text="VM state saved before the current STEP attempt: what a retry restores."
    )
    attempts = models.PositiveIntegerField(default=1, help_text="1 + the number of times the run was retried.")
    error_step = models.CharField(max_length=50, blank=True, help_text="Label of the STEP that failed.")
    error_line = models.PositiveIntegerField(null=True, blank=True)
    # no index: written by every inline child, read only from the one run a re-run names
    rerun_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns", db_index=False,
        help_text="The finished run one STEP of which this run runs again (the designer's re-run).",
    )

    objects = WorkflowExecutionQuerySet.as_manager()

    class Meta:
        db_table = "workflow_executions"
        ordering = ["-created_at"]
        # The nullable links are indexed only where set (partial indexes): a top-level run, most
        # runs, then writes no entry into them, and ``= value`` / ``<= value`` lookups use them.
        indexes = [
            models.Index(fields=["bot", "status"], name="wfexec_bot_status_idx"),
            models.Index(fields=["status", "updated_at"], name="wfexec_status_updated_idx"),
            *(models.Index(fields=[name], name=f"wfexec_{name}_idx", condition=models.Q(**{f"{name}__isnull": False}))
              for name in ("parent", "root", "conversation", "script", "started_by", "resume_at")),
        ]

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
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who it was published for: the API or admin user, the user of the conversation whose script "
                  "published it, or the user who started the workflow.",
    )

    class Meta:
        db_table = "workflow_events"
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "event_name", "id"], name="wfevent_org_name_idx")]

    def __str__(self) -> str:
        return f"{self.event_name} #{self.pk}"


class WorkflowStep(models.Model):
    """One attempt of one ``STEP n:`` of a run (a retried step has one row per attempt)."""

    # (execution, started_at) is indexed below; no index of its own for execution or status
    execution = models.ForeignKey(WorkflowExecution, on_delete=models.CASCADE, related_name="steps", db_index=False)
    label = models.CharField(max_length=50)
    attempt = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.RUNNING)
    kind = models.CharField(max_length=16, choices=StepKind.choices, default=StepKind.OTHER)
    line = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)
    input = models.JSONField(default=dict, blank=True, help_text="BOT: bot and action; PARALLEL: branches; approval: approver.")
    output = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_line = models.PositiveIntegerField(null=True, blank=True)
    conflicts = models.JSONField(default=list, blank=True, help_text="Variables written by more than one branch.")
    variables = models.JSONField(
        null=True, blank=True, help_text="The run's variables when this attempt began (what a re-run of it starts with).")
    child = models.ForeignKey(
        WorkflowExecution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The child run of a BOT step.",
    )

    class Meta:
        db_table = "workflow_steps"
        ordering = ["execution", "started_at", "id"]
        indexes = [models.Index(fields=["execution", "started_at"], name="wfstep_exec_started_idx")]

    def __str__(self) -> str:
        return f"STEP {self.label} #{self.attempt} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in StepStatus.finished()

    def transition_to(self, status: str) -> None:
        """Move to ``status`` if allowed; finishing stamps ``finished_at`` and ``duration``."""
        if status == self.status:
            return
        if status not in STEP_TRANSITIONS[self.status]:
            raise InvalidTransitionError(f"A {self.get_status_display().lower()} step cannot become {status}.",
                                         extra={"step": self.pk, "from": self.status, "to": str(status)})
        self.status = status
        if status in StepStatus.finished():
            self.finished_at = timezone.now()
            self.duration = self.finished_at - self.started_at


class WorkflowApprovalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ApprovalStatus.PENDING)

    def overdue(self, now=None):
        return self.pending().filter(deadline__lte=now or timezone.now())


class WorkflowApproval(BaseModel):
    """A request for a person to approve or reject a waiting run (HUMAN APPROVAL FROM who).

    ``token`` is a nonce: the mailed links carry it signed, and it is spent by the decision,
    so each link works once. An escalation is a new row pointing at the one that timed out.
    """

    execution = models.ForeignKey(WorkflowExecution, on_delete=models.CASCADE, related_name="approvals")
    step_label = models.CharField(max_length=50, blank=True)
    approver = models.CharField(max_length=254, help_text="Who is asked: an e-mail address or a user name.")
    status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    timeout_seconds = models.FloatField(null=True, blank=True)
    escalated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    token = models.CharField(max_length=64, unique=True, help_text="Single-use nonce of the mailed links.")
    effect_key = models.CharField(max_length=40, blank=True)
    line = models.PositiveIntegerField(default=0)

    objects = WorkflowApprovalQuerySet.as_manager()

    class Meta:
        db_table = "workflow_approvals"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="wfapproval_status_deadline_idx")]

    def __str__(self) -> str:
        return f"approval by {self.approver} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING

    def transition_to(self, status: str) -> None:
        if status not in APPROVAL_TRANSITIONS[self.status]:
            raise InvalidTransitionError(
                f"This approval request is already {self.get_status_display().lower()}.",
                extra={"approval": str(self.pk), "from": self.status, "to": str(status)},
            )
        self.status = status
        self.decided_at = timezone.now()


class WorkflowEffect(models.Model):
    """The step cache (DESIGN §4.4): the result of an outside effect of a run under its effect
    key ``"seq:line"``, so a slice re-run after a crash reuses it instead of repeating it."""

    execution = models.ForeignKey(WorkflowExecution, on_delete=models.CASCADE, related_name="effects")
    key = models.CharField(max_length=40)
    method = models.CharField(max_length=40, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta:
        db_table = "workflow_effects"
        constraints = [models.UniqueConstraint(fields=["execution", "key"], name="wfeffect_execution_key_uniq")]

    def __str__(self) -> str:
        return f"{self.method} {self.key}"


class WorkflowEventConsumption(models.Model):
    """One run took one event (``WAIT FOR EVENT`` or an ``ON EVENT`` handler): at most once per
    (event, run), recorded in the transaction of the slice that used it (``workflows.events``)."""

    class Kind(models.TextChoices):
        WAIT = "wait", "WAIT FOR EVENT"
        HANDLER = "handler", "ON EVENT handler"

    event = models.ForeignKey(WorkflowEvent, on_delete=models.CASCADE, related_name="consumptions")
    execution = models.ForeignKey(WorkflowExecution, on_delete=models.CASCADE, related_name="event_consumptions")
    consumed_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        db_table = "workflow_event_consumptions"
        ordering = ["event", "consumed_at"]
        constraints = [models.UniqueConstraint(fields=["event", "execution"], name="wfeventcons_event_exec_uniq")]
        indexes = [models.Index(fields=["execution", "event"], name="wfeventcons_exec_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of event #{self.event_id}"


class BotSchedule(BaseModel):
    """A dialog a bot runs on a schedule: its top-level ``SET SCHEDULE`` read when the package
    loads (``workflows.schedules``), fired by the timer tick. ``problem`` (a schedule text that
    cannot be read) keeps it from firing."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="schedules")
    script_name = models.CharField(max_length=200, help_text="The dialog started (file stem in lower case).")
    schedule_text = models.CharField(max_length=200, blank=True, help_text="As written after SET SCHEDULE.")
    cron = models.CharField(max_length=100, blank=True, help_text="The cron expression it reads as (TIME_ZONE).")
    source_path = models.CharField(max_length=1024, blank=True, help_text="The dialog that has the statement.")
    line = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_execution = models.ForeignKey(WorkflowExecution, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    last_error = models.TextField(blank=True, help_text="Why the last due time could not start a run.")
    enabled = models.BooleanField(default=True)
    problem = models.TextField(blank=True, help_text="Why the schedule text cannot be read; it never fires then.")

    class Meta:
        db_table = "bot_schedules"
        ordering = ["bot", "script_name"]
        constraints = [models.UniqueConstraint(fields=["bot", "script_name", "schedule_text"],
                                               name="botschedule_bot_script_text_uniq")]
        indexes = [models.Index(fields=["next_run_at"], name="botschedule_due_idx",
                                condition=models.Q(enabled=True, problem=""))]

    def __str__(self) -> str:
        return f"{self.script_name}.bas {self.schedule_text!r}"
