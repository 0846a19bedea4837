"""The unit of work of one slice: every row a slice writes, flushed together before it commits.

Inline children (BOT steps and PARALLEL branches that do not suspend) are built in memory and
inserted with one ``bulk_create`` at the end of the parent's slice, together with the step rows,
approvals and effect records, so a 10-step workflow of no-op BOT steps costs a handful of
statements and one commit (DESIGN §4.2, §4.6). PostgreSQL checks foreign keys at commit
(Django makes them deferrable), so the order of the inserts does not matter. Every run the slice
created or saved is announced once at the flush (``workflows.realtime``; sent on commit), and
the steps it wrote once per run (``workflow.step``: what the designer colours its nodes by).

The runs the slice saved (``save_run``), the new runs and the new steps are written by
``generalbots.core.fastsql.write_rows``: in one round trip on PostgreSQL with the fast SQL on
(``GB_ENGINE_FAST_SQL``), through ``save()`` and ``bulk_create`` otherwise.
"""

from __future__ import annotations

from generalbots.core.fastsql import write_rows
from workflows.models import WorkflowApproval, WorkflowEffect, WorkflowExecution, WorkflowStep
from workflows.realtime import runs_changed, steps_changed

STEP_FIELDS = ["status", "kind", "finished_at", "duration", "input", "output", "error", "error_line", "conflicts",
               "child"]


class SliceRecorder:
    def __init__(self) -> None:
        self.new_runs: dict = {}
        self.new_steps: list[WorkflowStep] = []
        self.dirty_steps: dict = {}
        self.new_approvals: list[WorkflowApproval] = []
        self.effects: dict[tuple, WorkflowEffect] = {}
        self.changed_runs: dict = {}
        self.created_ids: set = set()
        self.saved_runs: dict = {}

    def add_run(self, run: WorkflowExecution) -> None:
        self.new_runs[run.pk] = run
        self.changed_runs[run.pk] = run
        self.created_ids.add(run.pk)

    def save_run(self, run: WorkflowExecution) -> None:
        """Save ``run`` (an existing row) at the flush, with the slice's other writes."""
        self.saved_runs[run.pk] = run
        self.changed_runs[run.pk] = run

    def is_new(self, run: WorkflowExecution) -> bool:
        return run.pk in self.new_runs

    def add_step(self, step: WorkflowStep) -> None:
        self.new_steps.append(step)

    def touch_step(self, step: WorkflowStep) -> None:
        if step.pk is not None:
            self.dirty_steps[step.pk] = step

    def add_approval(self, approval: WorkflowApproval) -> None:
        self.new_approvals.append(approval)

    def add_effect(self, run: WorkflowExecution, key: str, method: str, result) -> None:
        self.effects[(run.pk, key)] = WorkflowEffect(execution_id=run.pk, key=key, method=method, result=result)

    def effect(self, run: WorkflowExecution, key: str):
        return self.effects.get((run.pk, key))

    def flush(self) -> None:
        """Write everything recorded (inside the slice's transaction)."""
        steps = self.new_steps + list(self.dirty_steps.values())
        write_rows(saved=self.saved_runs.values(), created=[list(self.new_runs.values()), self.new_steps])
        self.saved_runs, self.new_runs, self.new_steps = {}, {}, []
        if self.dirty_steps:
            WorkflowStep.objects.bulk_update(list(self.dirty_steps.values()), STEP_FIELDS)
            self.dirty_steps = {}
        if self.new_approvals:
            WorkflowApproval.objects.bulk_create(self.new_approvals)
            self.new_approvals = []
        if self.effects:
            WorkflowEffect.objects.bulk_create(list(self.effects.values()), ignore_conflicts=True)
            self.effects = {}
        if self.changed_runs:
            runs_changed(list(self.changed_runs.values()), created=self.created_ids)
        if steps:
            steps_changed(steps, runs=self.changed_runs, created=self.created_ids)
        self.changed_runs, self.created_ids = {}, set()
