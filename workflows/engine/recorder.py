"""The unit of work of one slice: every row a slice writes, flushed together before it commits.

Inline children (BOT steps and PARALLEL branches that do not suspend) are built in memory and
inserted with one ``bulk_create`` at the end of the parent's slice, together with the step rows,
approvals and effect records, so a 10-step workflow of no-op BOT steps costs a handful of
statements and one commit (DESIGN §4.2, §4.6). PostgreSQL checks foreign keys at commit
(Django makes them deferrable), so the order of the inserts does not matter. Every run the slice
created or saved is announced once at the flush (``workflows.realtime``; sent on commit), and
the steps it wrote, in each run's own status message (``steps``: what the designer colours its nodes by).

The runs the slice saved (``save_run``), the new runs and the new steps are written by
``generalbots.core.fastsql.write_rows``: in one round trip on PostgreSQL with the fast SQL on
(``GB_ENGINE_FAST_SQL``), through ``save()`` and ``bulk_create`` otherwise. A worker's slice
whose flush is the last thing its transaction does sends the ``COMMIT`` in that round trip
too (``flush_all(last_for=...)``).
"""

from __future__ import annotations

from generalbots.core.fastsql import write_rows
from workflows.models import WorkflowApproval, WorkflowEffect, WorkflowExecution, WorkflowStep
from workflows.realtime import runs_changed

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

    def flush(self, *, last_for=None) -> bool:
        """Write everything recorded (inside the slice's transaction); see ``flush_all``."""
        return flush_all([self], last_for=last_for)


def flush_all(recorders: list[SliceRecorder], *, last_for=()) -> bool:
    """Flush the recorders of several slices (a batch of runs, ``engine.batches``) inside their
    common transaction: the rows of all in the same statements (runs and steps in one round
    trip on PostgreSQL), the runs of each slice announced as that slice's own flush would.

    ``last_for``: the runs the caller's transaction locked, when it writes nothing after this
    flush and commits. If the flush saves no other existing row and writes only runs and steps,
    the commit travels with the rows (``fastsql.write_rows(commit=True)``: one round trip less
    per slice); returns whether it did."""
    saved = [run for r in recorders for run in r.saved_runs.values()]
    dirty = [step for r in recorders for step in r.dirty_steps.values()]
    approvals = [approval for r in recorders for approval in r.new_approvals]
    effects = [effect for r in recorders for effect in r.effects.values()]
    last = bool(last_for) and not (dirty or approvals or effects) and all(run.pk in last_for for run in saved)
    committed = write_rows(saved=saved, created=[[run for r in recorders for run in r.new_runs.values()],
                                                 [step for r in recorders for step in r.new_steps]], commit=last)
    if dirty:
        WorkflowStep.objects.bulk_update(dirty, STEP_FIELDS)
    if approvals:
        WorkflowApproval.objects.bulk_create(approvals)
    if effects:
        WorkflowEffect.objects.bulk_create(effects, ignore_conflicts=True)
    for r in recorders:
        steps = r.new_steps + list(r.dirty_steps.values())
        if r.changed_runs or steps:
            runs_changed(list(r.changed_runs.values()), created=r.created_ids, steps=steps)
        r.saved_runs, r.new_runs, r.new_steps, r.dirty_steps = {}, {}, [], {}
        r.new_approvals, r.effects, r.changed_runs, r.created_ids = [], {}, {}, set()
    return committed
