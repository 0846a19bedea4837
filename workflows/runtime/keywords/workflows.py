"""Workflow keywords of the run host (BASIC.md §5): ORCHESTRATE WORKFLOW, STEP records, BOT
steps, PARALLEL, DELEGATE, CALL of another script, HUMAN APPROVAL and WAIT/DELAY.

The group expects ``self.run`` (the WorkflowExecution), ``self.bot``, ``self.script``,
``self.turn`` and ``self.slice`` (the engine's SliceContext: its recorder and ``now``).

Choices:

- Keywords that start child runs do not run them: they resolve what to run and return
  ``Suspend.start(StartChildren(...))``; the engine (``workflows.engine.core``) creates the
  children, runs them inline and resumes the run with the joined value, or leaves it waiting on
  the join when a child suspends (DESIGN §4.6).
- ``BOT "b"`` and ``DELEGATE ... TO BOT "b"`` only find bots of the run's organization: a name
  used only by another organization is an unknown bot, with the same error as no bot at all.
- ``BOT "b" "action"`` runs bot b's current ``start`` dialog as a child execution on a copy of
  the variables plus ``input``; when it finishes, its new and changed variables and its TALK
  lines come back at once (the fast path). When it suspends, the step waits (``bot``) and the
  child goes on in its own slices; the parent wakes when the child row ends. A failed child
  fails the step (``bot b failed: ...``).
- Each PARALLEL branch is a child execution of the same script (``kind=branch``), started
  inline in branch order; the step waits until every branch row has ended. A failing branch
  cancels the branches still waiting and fails the step; finished ones stay completed.
- ``DELEGATE msg TO BOT b`` is a BOT call whose value is the child's RETURN value, or its TALK
  lines joined by newlines.
- ``CALL name`` runs ``name.bas`` of the same bot as a child run, its PARAMs taking the
  arguments: its RETURN value is the CALL's value; when it waits (HEAR, WAIT) the caller waits
  for it (``script:name``).
- HUMAN APPROVAL creates a ``workflow_approvals`` row (with its deadline), mails the approver
  when it is an address, and waits; the decision or the sweeper (deadline passed) wakes the run.
- A step TIMEOUT reaches BOT / PARALLEL waits as their deadline: when it passes, the children
  still open are cancelled and the call resumes with ``{"timed_out": true}``.
- Every deadline counts from the slice's ``now``.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from generalbots.basic import BasicError, BasicRuntimeError, Child, StartChildren, Suspend, WaitKind
from generalbots.basic.host import deadline_after
from generalbots.basic.values import encode_value, to_number, to_text
from generalbots.bots.programs import program_for
from generalbots.bots.selectors import bot_config_variables, bot_with_start_script, script_current
from llmrouter.services import run_budget_set
from workflows.choices import ApprovalStatus, StepKind, StepStatus
from workflows.models import WorkflowApproval, WorkflowStep
from workflows.runtime.errors import script_errors

logger = logging.getLogger(__name__)


class WorkflowKeywords:
    """Workflow keywords (see module docstring)."""

    failed_step: str | None = None

    def _deadline_in(self, seconds) -> str | None:
        return deadline_after(self.slice.now, None if seconds is None else to_number(seconds))

    # ----------------------------------------------------------------- workflow and steps
    def workflow_begin(self, ctx, name, budget=None):
        run = self.run
        run.workflow_name = to_text(name)[:200] or run.workflow_name
        run.is_workflow = True
        if budget is not None:
            self._set_budget(budget)

    def _set_budget(self, budget) -> None:
        try:
            limit = Decimal(str(to_number(budget)))
        except (InvalidOperation, ValueError):
            raise BasicRuntimeError(f"BUDGET must be a number of dollars, not {to_text(budget)!r}") from None
        if self.slice.recorder.is_new(self.run):
            self.slice.recorder.flush()
        run_budget_set(execution=self.run, limit=limit)

    def workflow_end(self, ctx, name):
        return None

    def _open_steps(self) -> list:
        if not hasattr(self, "_steps_open"):
            self._steps_open = []
        return self._steps_open

    def step_begin(self, ctx, label, attempt):
        run = self.run
        step = WorkflowStep(execution_id=run.pk, label=str(label)[:50], attempt=attempt, line=ctx.line,
                            started_at=timezone.now())
        self.slice.recorder.add_step(step)
        self._open_steps().append(step)
        run.current_step_label = step.label
        if step.label.isdigit():
            run.current_step = int(step.label)
        return Suspend({"kind": WaitKind.CHECKPOINT})

    def step_checkpoint(self, state: dict) -> None:
        """The engine saved ``state`` before the step just begun: its row keeps the variables
        (the same encoded dict, written with the row), what a re-run of the step starts with."""
        steps = self._open_steps()
        if steps and steps[-1].pk is None:
            steps[-1].variables = state.get("globals") or {}

    def _step(self, label: str | None) -> WorkflowStep | None:
        """The open step row called ``label`` (this slice's, else the database's)."""
        if label is None:
            return None
        for step in reversed(self._open_steps()):
            if step.label == label and not step.is_finished:
                return step
        if self.slice.recorder.is_new(self.run):
            return None
        step = (WorkflowStep.objects.filter(execution_id=self.run.pk, label=label,
                                            status__in=[StepStatus.RUNNING, StepStatus.WAITING])
                .order_by("-id").first())
        if step is not None:
            if step.status == StepStatus.WAITING:
                step.transition_to(StepStatus.RUNNING)
                self.slice.recorder.touch_step(step)
            self._open_steps().append(step)
        return step

    def step_end(self, ctx, record):
        label = str(record.get("label"))[:50]
        step = self._step(label)
        if step is None:
            step = WorkflowStep(execution_id=self.run.pk, label=label, attempt=record.get("attempt") or 1,
                                line=ctx.line, started_at=timezone.now())
            self.slice.recorder.add_step(step)
        status = record.get("status") or "completed"
        step.output = record.get("output")
        step.conflicts = list(record.get("conflicts") or [])
        if record.get("error"):
            step.error = str(record["error"])
            step.error_line = record.get("error_line") or None
        step.transition_to(status if status in StepStatus.values else StepStatus.COMPLETED)
        self.slice.recorder.touch_step(step)
        if status == StepStatus.FAILED:
            self.failed_step = label
        elif self.failed_step == label:
            self.failed_step = None

    def steps_suspend(self) -> None:
        """The run suspends: its open steps wait."""
        for step in self._open_steps():
            if step.status == StepStatus.RUNNING:
                step.transition_to(StepStatus.WAITING)
                self.slice.recorder.touch_step(step)

    def step_child(self, label: str | None, child) -> None:
        """The engine started ``child`` for the BOT or DELEGATE call of step ``label``."""
        step = self._step(label)
        if step is not None:
            step.child_id = child.pk
            self.slice.recorder.touch_step(step)

    def _mark_step(self, ctx, kind: str, data: dict) -> None:
        step = self._step(ctx.step)
        if step is not None:
            step.kind = kind
            step.input = data
            self.slice.recorder.touch_step(step)

    # ----------------------------------------------------------------- children
    def _bot_target(self, bot, keyword: str):
        """(name, bot, its start script) of the bot a BOT / DELEGATE names, in this run's
        organization only; looked up once per slice (a 50-step workflow of one bot asks once)."""
        name = to_text(bot).strip()
        cache_key = (self.bot.organization_id, name)
        found = self.slice.targets.get(cache_key)
        if found is None:
            with script_errors(keyword):
                target, script = bot_with_start_script(name=name, organization_id=self.bot.organization_id)
            if script is None:
                raise BasicRuntimeError(f"{keyword}: bot {name} has no start.bas")
            found = self.slice.targets[cache_key] = (target, script)
        return (name, *found)

    def _bot_request(self, ctx, kind: WaitKind, bot, action, variables: dict, deadline) -> Suspend:
        name, target, script = self._bot_target(bot, "BOT" if kind == WaitKind.BOT else "DELEGATE")
        seed = {**encode_value(bot_config_variables(bot=target)), **variables, "input": encode_value(action)}
        data = {"bot": name, "action": encode_value(action)}
        self._mark_step(ctx, StepKind.BOT, data)
        child = Child((target, script), variables=seed, data=data)
        return Suspend.start(StartChildren(kind, ctx.key_text, (child,), name=name, deadline=deadline,
                                           step=ctx.step))

    def bot_call(self, ctx, bot, action, variables):
        return self._bot_request(ctx, WaitKind.BOT, bot, action, variables, self._deadline_in(ctx.timeout))

    def delegate(self, ctx, message, bot, timeout=None):
        seconds = timeout if timeout is not None else ctx.timeout
        return self._bot_request(ctx, WaitKind.DELEGATE, bot, message, {}, self._deadline_in(seconds))

    def parallel(self, ctx, branches, variables):
        labels = [str(b["label"]) for b in branches]
        self._mark_step(ctx, StepKind.PARALLEL, {"branches": labels})
        children = tuple(Child((self.bot, self.script), unit=br["unit"], variables=variables,
                               label=str(br["label"])[:50], data={"unit": br["unit"]}) for br in branches)
        return Suspend.start(StartChildren(WaitKind.PARALLEL, ctx.key_text, children,
                                           deadline=self._deadline_in(ctx.timeout), step=ctx.step))

    def run_script(self, ctx, name, args):
        script = script_current(bot=self.bot, name=name)
        if script is None:
            raise BasicRuntimeError(f"script {name}.bas not found in bot {self.bot.name}")
        try:
            program = program_for(source=script.source, path=script.path, digest=script.source_hash)
        except BasicError as exc:  # anything else is a platform bug: the VM reports it generically
            raise BasicRuntimeError(f"{name}.bas cannot run: {exc}") from None
        variables = {p.name: v for p, v in zip(program.params, args)}
        return Suspend.start(StartChildren(WaitKind.SCRIPT, ctx.key_text, (Child((self.bot, script),
                                                                                 variables=variables),),
                                           name=name, step=ctx.step, nesting=ctx.nesting))

    # ----------------------------------------------------------------- approvals and timers
    def approval(self, ctx, approver, timeout=None, escalated_from=None):
        run = self.run
        previous = None
        if escalated_from is not None and not self.slice.recorder.is_new(run):
            previous = (WorkflowApproval.objects.filter(execution_id=run.pk, status=ApprovalStatus.TIMEOUT)
                        .order_by("-created_at").first())
            if previous is not None:
                previous.transition_to(ApprovalStatus.ESCALATED)
                previous.save(update_fields=["status", "decided_at", "updated_at"])
        seconds = float(to_number(timeout)) if timeout is not None else None
        deadline = self.slice.now + timedelta(seconds=seconds) if seconds is not None else None
        request = WorkflowApproval(
            execution_id=run.pk, step_label=(ctx.step or "")[:50], approver=to_text(approver)[:254],
            deadline=deadline, timeout_seconds=seconds, escalated_from=previous, token=secrets.token_urlsafe(24),
            effect_key=ctx.key_text, line=ctx.line,
        )
        self.slice.recorder.add_approval(request)
        self._mark_step(ctx, StepKind.APPROVAL, {"approver": request.approver, "timeout": seconds})

        def notify() -> None:
            # function-local: workflows.services imports the engine, and the engine this host
            from workflows.services import approval_notify
            approval_notify(approval_id=request.pk)
        transaction.on_commit(notify)
        return Suspend({"kind": WaitKind.APPROVAL, "key": ctx.key_text, "approval": str(request.pk),
                        "approver": request.approver, "deadline": deadline.isoformat() if deadline else None})

    def wait(self, ctx, seconds):
        return Suspend({"kind": WaitKind.TIMER, "seconds": seconds, "resume_at": self._deadline_in(seconds)})

    def set_schedule(self, ctx, spec, script=None, name=None):
        """``SET SCHEDULE``: registered when the package loads (``workflows.schedules``), so in a
        run it only notes that it was reached."""
        logger.info("Run %s of bot %s: SET SCHEDULE %r is registered at package load; nothing to do in the run",
                    self.run.pk, self.bot.name, to_text(spec))
        return None
