"""Workflow keywords of the Django host (BASIC.md §5): ORCHESTRATE WORKFLOW, STEP records,
BOT steps, PARALLEL, DELEGATE, HUMAN APPROVAL and WAIT/DELAY (PUBLISH EVENT and WAIT FOR EVENT
are ``host_events.EventKeywords``).

The mixin expects ``self.run`` (the WorkflowExecution), ``self.bot``, ``self.script``,
``self.program`` and ``self.slice`` (``workflows.engine.core.SliceContext``).

Choices:

- ``BOT "b"`` and ``DELEGATE ... TO BOT "b"`` only find bots of the run's organization: a name
  used only by another organization is an unknown bot, with the same error as no bot at all.
- ``BOT "b" "action"`` runs bot b's current ``start`` dialog as a child execution on a copy of
  the variables plus ``input``. It runs inline in this slice; when it finishes, its new and
  changed variables and its TALK lines come back at once (the fast path). When it suspends,
  the step waits (``{"kind": "bot"}``) and the child goes on in its own slices; the parent
  wakes when the child row ends. A failed child fails the step (``bot b failed: ...``).
- Each PARALLEL branch is a child execution of the same script (``kind=branch``), started
  inline in branch order; the step waits until every branch row has ended. A failing branch
  cancels the branches still waiting and fails the step; finished ones stay completed.
- ``DELEGATE msg TO BOT b`` is a BOT call whose value is the child's RETURN value, or its TALK
  lines joined by newlines.
- HUMAN APPROVAL creates a ``workflow_approvals`` row (with its deadline), mails the approver
  when it is an address, and waits; the decision or the sweeper (deadline passed) wakes the run.
- A step TIMEOUT reaches BOT / PARALLEL waits as their deadline: when it passes, the children
  still open are cancelled and the call resumes with ``{"timed_out": true}``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from generalbots.basic import VM, BasicRuntimeError, Suspend
from generalbots.basic.errors import BasicLimitError
from generalbots.basic.limits import Limits
from generalbots.basic.values import encode_value, to_number, to_text
from workflows.choices import ApprovalStatus, ExecutionKind, ExecutionStatus, StepKind, StepStatus
from workflows.models import WorkflowApproval, WorkflowExecution, WorkflowStep


CHILD_DEPTH = Limits().script_depth


def _key(ctx) -> str:
    return f"{ctx.key[0]}:{ctx.key[1]}"


class WorkflowKeywords:
    """Workflow keywords (see module docstring)."""

    failed_step: str | None = None

    # ----------------------------------------------------------------- workflow and steps
    def workflow_begin(self, ctx, name, budget=None):
        run = self.run
        run.workflow_name = to_text(name)[:200] or run.workflow_name
        run.is_workflow = True
        if budget is not None:
            self._set_budget(budget)

    def _set_budget(self, budget) -> None:
        try:
            from llmrouter import services as llm_services
        except ImportError:
            return
        run_budget_set = getattr(llm_services, "run_budget_set", None)
        if run_budget_set is None:
            return
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
        return Suspend({"kind": "checkpoint"})

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
            from workflows.engine.core import error_line_of
            step.error = str(record["error"])
            step.error_line = error_line_of(step.error)
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

    def _mark_step(self, ctx, kind: str, data: dict, child=None) -> None:
        step = self._step(ctx.step)
        if step is not None:
            step.kind = kind
            step.input = data
            if child is not None:
                step.child_id = child.pk
            self.slice.recorder.touch_step(step)

    def _deadline(self, ctx) -> str | None:
        if ctx.timeout is None:
            return None
        return (timezone.now() + timedelta(seconds=float(ctx.timeout))).isoformat()

    # ----------------------------------------------------------------- children
    def _child(self, ctx, *, kind: str, bot, script, program, unit: str, variables: dict, position: int = 0,
               branch_label: str = "", data: dict | None = None):
        """Create a child run and run its first slice inline; returns (child, SliceResult)."""
        from workflows.engine.core import Wake, execute, make_host

        run = self.run
        child = WorkflowExecution(
            bot=bot, workflow_name=script.name if kind != ExecutionKind.BRANCH else run.workflow_name, kind=kind,
            script=script, script_hash=script.source_hash, parent_id=run.pk, root_id=run.root_id or run.pk,
            parent_key=_key(ctx), position=position, branch_label=branch_label, input=data or {},
            started_by_id=run.started_by_id,
        )
        # Children run inline, one inside the other: bots calling each other (a bot whose STEP
        # BOT names itself) are bounded like scripts calling scripts, not by Python's stack.
        depth = self.slice.child_depth
        if depth >= CHILD_DEPTH:
            raise BasicLimitError(f"{'BOT' if kind != ExecutionKind.BRANCH else 'PARALLEL'}: bots and branches "
                                  f"nested deeper than {CHILD_DEPTH} (does a bot call itself?)")
        self.slice.recorder.add_run(child)
        host = make_host(child, script, program, self.slice)
        vm = VM.for_unit(program, unit, variables, host)
        self.slice.child_depth = depth + 1
        try:
            return child, execute(child, vm, host, Wake("start"), self.slice)
        finally:
            self.slice.child_depth = depth

    def _bot_child(self, ctx, bot, action, variables: dict, kind_label: str):
        from generalbots.bots.runtime.engine import config_variables, script_current
        from generalbots.bots.selectors import bot_get_in_organization
        from generalbots.core.exceptions import NotFoundError
        from workflows.engine.core import program_of

        name = to_text(bot).strip()
        # only bots of this run's organization: a name used elsewhere is as unknown as no bot at all
        cache_key = (self.bot.organization_id, name)
        targets = getattr(self.slice, "targets", None)
        found = targets.get(cache_key) if targets is not None else None
        if found is None:  # looked up once per slice: a 50-step workflow of one bot asks once
            try:
                target = bot_get_in_organization(name=name, organization_id=self.bot.organization_id)
            except NotFoundError as exc:
                raise BasicRuntimeError(f"{kind_label}: {exc.message}") from None
            script = script_current(target, "start")
            if script is None:
                raise BasicRuntimeError(f"{kind_label}: bot {name} has no start.bas")
            if targets is not None:
                targets[cache_key] = (target, script)
        else:
            target, script = found
        program = program_of(script)
        seed = {**encode_value(config_variables(target)), **variables, "input": encode_value(action)}
        data = {"bot": name, "action": encode_value(action)}
        child, result = self._child(ctx, kind=ExecutionKind.CHILD, bot=target, script=script, program=program,
                                    unit="main", variables=seed, data=data)
        return name, data, child, result

    def bot_call(self, ctx, bot, action, variables):
        name, data, child, result = self._bot_child(ctx, bot, action, variables, "BOT")
        self._mark_step(ctx, StepKind.BOT, data, child)
        if result.status == "finished":
            return {"variables": child.changes, "output": child.output, "value": child.result}
        if result.status == "suspended":
            return Suspend({"kind": "bot", "key": _key(ctx), "bot": name, "child": str(child.pk),
                            "deadline": self._deadline(ctx)})
        raise BasicRuntimeError(f"bot {name} failed: {child.error or 'cancelled'}")

    def delegate(self, ctx, message, bot, timeout=None):
        name, data, child, result = self._bot_child(ctx, bot, message, {}, "DELEGATE")
        self._mark_step(ctx, StepKind.BOT, data, child)
        if result.status == "finished":
            return delegate_value(child)
        if result.status == "suspended":
            seconds = timeout if timeout is not None else ctx.timeout
            deadline = (timezone.now() + timedelta(seconds=float(to_number(seconds)))).isoformat() \
                if seconds is not None else None
            return Suspend({"kind": "delegate", "key": _key(ctx), "bot": name, "child": str(child.pk),
                            "deadline": deadline})
        raise BasicRuntimeError(f"bot {name} failed: {child.error or 'cancelled'}")

    def parallel(self, ctx, branches, variables):
        from workflows.engine.core import cancel_tree

        labels = [str(b["label"]) for b in branches]
        self._mark_step(ctx, StepKind.PARALLEL, {"branches": labels})
        children, waiting = [], False
        for position, br in enumerate(branches):
            child, result = self._child(ctx, kind=ExecutionKind.BRANCH, bot=self.bot, script=self.script,
                                        program=self.program, unit=br["unit"], variables=variables,
                                        position=position, branch_label=str(br["label"])[:50],
                                        data={"unit": br["unit"]})
            if result.status in ("failed", "cancelled"):
                cancel_tree(self.run, self.slice, reason=f"branch {br['label']} failed")
                raise BasicRuntimeError(f"branch {br['label']} failed: {child.error or 'cancelled'}")
            waiting = waiting or result.status == "suspended"
            children.append(child)
        if waiting:
            return Suspend({"kind": "parallel", "key": _key(ctx), "branches": labels, "deadline": self._deadline(ctx)})
        return [branch_result(c) for c in children]

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
        deadline = timezone.now() + timedelta(seconds=seconds) if seconds is not None else None
        request = WorkflowApproval(
            execution_id=run.pk, step_label=(ctx.step or "")[:50], approver=to_text(approver)[:254],
            deadline=deadline, timeout_seconds=seconds, escalated_from=previous, token=secrets.token_urlsafe(24),
            effect_key=_key(ctx), line=ctx.line,
        )
        self.slice.recorder.add_approval(request)
        self._mark_step(ctx, StepKind.APPROVAL, {"approver": request.approver, "timeout": seconds})

        def notify() -> None:
            from workflows.services import approval_notify
            approval_notify(approval_id=request.pk)
        transaction.on_commit(notify)
        return Suspend({"kind": "approval", "key": _key(ctx), "approval": str(request.pk),
                        "approver": request.approver, "deadline": deadline.isoformat() if deadline else None})

    def wait(self, ctx, seconds):
        seconds = float(to_number(seconds))
        resume_at = timezone.now() + timedelta(seconds=max(seconds, 0.0))
        return Suspend({"kind": "timer", "seconds": seconds, "resume_at": resume_at.isoformat()})


def branch_result(child: WorkflowExecution) -> dict:
    return {"label": child.branch_label, "variables": child.changes, "output": child.output}


def delegate_value(child: WorkflowExecution):
    from generalbots.basic.values import decode_value
    if child.result is not None:
        return decode_value(child.result)
    return "\n".join(str(x) for x in child.output or [])


__all__ = ["WorkflowKeywords", "ExecutionStatus"]
