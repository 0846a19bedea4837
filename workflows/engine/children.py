"""Child runs and joins (DESIGN §4.6): what a request to start children becomes, what their
ends give back to the parent, cancelling a tree, waking a parent.

``core`` fulfils a ``basic.StartChildren`` with these pieces: a child row per child
(``child_row``), the value the parent resumes with once every child ended (``join_value``),
and the error it resumes with when one failed. Joins count finished children in the
database (``notify_parent``), never in Celery chords.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from generalbots.basic import BasicLimitError, BasicRuntimeError, Child, SliceResult, StartChildren, WaitKind
from generalbots.basic.values import decode_value
from workflows.choices import ExecutionKind, ExecutionStatus, StepStatus
from workflows.models import WorkflowApproval, WorkflowExecution, WorkflowStep

if TYPE_CHECKING:
    from workflows.engine.core import SliceContext


def child_row(run: WorkflowExecution, request: StartChildren, child: Child, position: int) -> WorkflowExecution:
    """The (unsaved) row of a BOT / DELEGATE child or a PARALLEL branch of ``run``."""
    bot, script = child.target
    branch = request.kind == WaitKind.PARALLEL
    return WorkflowExecution(
        bot=bot, workflow_name=run.workflow_name if branch else script.name,
        kind=ExecutionKind.BRANCH if branch else ExecutionKind.CHILD, script=script, script_hash=script.source_hash,
        parent_id=run.pk, root_id=run.root_id or run.pk, parent_key=request.key, position=position,
        branch_label=child.label, input=child.data, started_by_id=run.started_by_id,
    )


def script_row(run: WorkflowExecution, child: Child, conversation) -> WorkflowExecution:
    """The row of the child run of ``CALL name`` (saved: it runs in a slice of its own)."""
    bot, script = child.target
    return WorkflowExecution.objects.create(
        bot=bot, workflow_name=script.name, script_hash=script.source_hash, script=script,
        started_by=conversation.user if conversation is not None else run.started_by,
        parent=run, root=run.root or run, conversation=conversation, kind=ExecutionKind.SCRIPT,
    )


def branch_result(child: WorkflowExecution) -> dict:
    return {"label": child.branch_label, "variables": child.changes, "output": child.output}


def delegate_value(child: WorkflowExecution):
    """A DELEGATE's value: the child's RETURN value, else its TALK lines joined by newlines."""
    if child.result is not None:
        return decode_value(child.result)
    return "\n".join(str(x) for x in child.output or [])


def join_value(kind: WaitKind, children: list[WorkflowExecution]):
    """What the parent resumes with once every child of its BOT / DELEGATE / PARALLEL ended."""
    if kind == WaitKind.PARALLEL:
        return [branch_result(c) for c in children]
    child = children[0]
    if kind == WaitKind.DELEGATE:
        return delegate_value(child)
    return {"variables": child.changes, "output": child.output, "value": child.result}


def join_wait(request: StartChildren, children: list[WorkflowExecution]) -> dict:
    """What the parent waits on while a child of ``request`` has suspended."""
    if request.kind == WaitKind.PARALLEL:
        return {"kind": request.kind, "key": request.key, "branches": [c.branch_label for c in children],
                "deadline": request.deadline}
    if request.kind == WaitKind.SCRIPT:
        return {"kind": request.kind, "name": children[0].workflow_name, "run": str(children[0].pk)}
    return {"kind": request.kind, "key": request.key, "bot": request.name, "child": str(children[0].pk),
            "deadline": request.deadline}


def call_failed(name: str, child: WorkflowExecution, result: SliceResult) -> BasicRuntimeError:
    """The error of ``CALL name`` whose child run ``child`` failed (or was cancelled) at once.

    A limit error stays one (ON ERROR cannot swallow it); one that already came up from a
    deeper CALL is passed on as it is, so a chain of 20 scripts reports the failing line once.
    """
    error = result.error
    if isinstance(error, BasicLimitError):
        if getattr(error, "called", False):
            passed = BasicLimitError(error.message)
        else:
            passed = BasicLimitError(f"{name}.bas failed: {child.error}")
        passed.called = True
        return passed
    return BasicRuntimeError(f"{name}.bas failed: {child.error or 'cancelled'}")


def notify_parent(child: WorkflowExecution, ctx: "SliceContext") -> None:
    """A child ended in its own slice: wake its parent when the join it waits on is complete.

    The parent row is locked first, so two siblings ending at once are counted one after the
    other and exactly one of them sees the join complete (DESIGN §4.6: joins count rows).
    """
    parent = WorkflowExecution.objects.select_for_update().filter(pk=child.parent_id).first()
    if parent is None or parent.status != ExecutionStatus.WAITING:
        return
    if (parent.wait or {}).get("key") != child.parent_key:
        return  # not the join it waits on (a CALLed script wakes its caller through the turn)
    open_siblings = (WorkflowExecution.objects.filter(parent_id=parent.pk, parent_key=child.parent_key)
                     .exclude(pk=child.pk).exclude(status__in=ExecutionStatus.finished()))
    if child.status == ExecutionStatus.FAILED or not open_siblings.exists():
        ctx.continue_ids.append(parent.pk)


def cancel_tree(run: WorkflowExecution, ctx: "SliceContext", *, reason: str) -> int:
    """Cancel the unfinished descendants of ``run`` (in memory and in the database), their open
    steps and pending approvals; returns how many runs were cancelled."""
    now = timezone.now()
    count = 0
    for child in list(ctx.recorder.new_runs.values()):
        if child.parent_id == run.pk and not child.is_finished:
            child.transition_to(ExecutionStatus.CANCELLED)
            child.error = child.error or reason
            child.waiting_for, child.resume_at = "", None
            count += 1 + cancel_tree(child, ctx, reason=reason)
    for step in ctx.recorder.new_steps:
        if step.execution_id != run.pk and not step.is_finished and ctx.recorder.new_runs.get(step.execution_id) \
                and ctx.recorder.new_runs[step.execution_id].status == ExecutionStatus.CANCELLED:
            step.transition_to(StepStatus.CANCELLED)
    ids = [run.pk]
    while ids:
        children = list(WorkflowExecution.objects.filter(parent_id__in=ids)
                        .exclude(status__in=ExecutionStatus.finished()).values_list("pk", flat=True))
        if not children:
            break
        WorkflowExecution.objects.filter(pk__in=children).update(
            status=ExecutionStatus.CANCELLED, finished_at=now, updated_at=now, waiting_for="", resume_at=None,
            error=reason)
        WorkflowStep.objects.filter(execution_id__in=children, status__in=[StepStatus.RUNNING, StepStatus.WAITING]) \
            .update(status=StepStatus.CANCELLED, finished_at=now)
        WorkflowApproval.objects.filter(execution_id__in=children).pending().update(
            status="cancelled", decided_at=now)
        count += len(children)
        ids = children
    return count
