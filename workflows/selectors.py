"""Reads of the workflows app: runs and approvals as one user may see them (the API, the
dashboard and the consumers read through these).

Visibility follows ``generalbots.bots.selectors.bots_visible_to``: superusers see every run,
other users the runs of bots granted to them or their groups (``BotAccess``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from time import monotonic, sleep

from django.db.models import (Avg, BooleanField, Case, Count, ExpressionWrapper, F, IntegerField, Max, Q, QuerySet,
                              Value, When)
from django.db.models.functions import TruncDate
from django.utils import timezone

from generalbots.basic import ast, parse
from generalbots.basic.checker import children
from generalbots.basic.errors import BasicError
from generalbots.basic.values import decode_value
from generalbots.bots.models import Bot, BotScript
from generalbots.bots.selectors import bots_visible_to
from generalbots.core.exceptions import NotFoundError, PermissionDeniedError
from generalbots.core.fastsql import PreparedSelect, select_all
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.graph import plan_steps
from workflows.models import WorkflowApproval, WorkflowEvent, WorkflowEventConsumption, WorkflowExecution, WorkflowStep


@dataclass(frozen=True)
class ExecutionFilters:
    """Filters of the run lists; every field optional."""

    bot: str = ""
    status: str = ""
    name: str = ""
    created_after: date | datetime | None = None
    created_before: date | datetime | None = None
    roots_only: bool = False
    variable: tuple[str, object] | None = None  # (name, value): runs started with that value


def _aware(value: date | datetime, *, end_of_day: bool) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end_of_day else time.min)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def executions_visible_to(*, user) -> QuerySet[WorkflowExecution]:
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return WorkflowExecution.objects.all()
    return WorkflowExecution.objects.filter(bot__in=bots_visible_to(user=user))


def _filtered(runs: QuerySet[WorkflowExecution], filters: ExecutionFilters, *, status: bool = True):
    if filters.bot:
        runs = runs.filter(bot__name=filters.bot)
    if status and filters.status:
        runs = runs.filter(status=filters.status)
    if filters.name:
        runs = runs.filter(workflow_name__icontains=filters.name)
    if filters.created_after:
        runs = runs.filter(created_at__gte=_aware(filters.created_after, end_of_day=False))
    if filters.created_before:
        runs = runs.filter(created_at__lte=_aware(filters.created_before, end_of_day=True))
    if filters.roots_only:
        runs = runs.filter(parent__isnull=True)
    if filters.variable:
        name, value = filters.variable
        runs = runs.filter(Q(input__contains={name: value}) | Q(input__contains={name: str(value)}))
    return runs


def execution_list_for_user(*, user, filters: ExecutionFilters | None = None) -> QuerySet[WorkflowExecution]:
    """Runs ``user`` may see, newest first, filtered; one query per page (bot joined)."""
    runs = executions_visible_to(user=user).workflows().select_related("bot", "started_by")
    return _filtered(runs, filters or ExecutionFilters()).order_by("-created_at", "-id")


def execution_status_counts(*, user, filters: ExecutionFilters | None = None) -> dict[str, int]:
    """How many of the runs ``execution_list_for_user`` would list have each status, the
    status filter left out (so every status shows what choosing it would list). One query."""
    runs = _filtered(executions_visible_to(user=user).workflows(), filters or ExecutionFilters(), status=False)
    return dict(runs.order_by().values_list("status").annotate(count=Count("id")))


def execution_get_for_user(*, user, execution_id, operate: bool = False) -> WorkflowExecution:
    """One run ``user`` may see; NotFoundError for a missing, malformed or hidden id, and
    PermissionDeniedError when ``operate`` is asked of a read-only grant."""
    try:
        pk = uuid.UUID(str(execution_id))
    except ValueError:
        pk = None
    execution = (executions_visible_to(user=user).select_related("bot", "parent", "root", "started_by")
                 .filter(pk=pk).first() if pk else None)
    if execution is None:
        raise NotFoundError(f"No workflow run {execution_id}.", code="workflows.not_found",
                            extra={"id": str(execution_id)})
    if operate and not user.is_superuser and not bots_visible_to(user=user, operate=True).filter(
            pk=execution.bot_id).exists():
        raise PermissionDeniedError(
            f"You may watch runs of {execution.bot.name!r} but not operate them; ask for an operator grant.",
            code="workflows.not_operator", extra={"bot": execution.bot.name})
    return execution


def execution_wait(execution: WorkflowExecution, *, timeout: float) -> WorkflowExecution:
    """``execution`` read again once it has finished, or after ``timeout`` seconds as it stands
    then. Its status is read every 5 ms at first, then less often, every 0.1 s at most; nothing
    is read for a run that has finished."""
    deadline = monotonic() + timeout
    pause = 0.005
    status = WorkflowExecution.objects.filter(pk=execution.pk).values_list("status", flat=True)
    finished = ExecutionStatus.finished()
    while not execution.is_finished and (left := deadline - monotonic()) > 0:
        sleep(min(pause, left))
        pause = min(pause * 1.5, 0.1)
        now = status.first()
        if now is None:  # deleted meanwhile (with its bot): as it last stood
            return execution
        if now in finished:
            break
    if not execution.is_finished:
        execution.refresh_from_db()
    return execution


def _plain(value):
    """A decoded BASIC value as plain JSON (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    dt = getattr(value, "dt", None)
    return dt.isoformat() if dt is not None else str(value)


def run_variables(execution: WorkflowExecution) -> dict:
    """The run's workflow variables as plain JSON, from its VM state (its input before it starts)."""
    state = execution.state or {}
    if not state.get("globals"):  # not started yet: the variables it was started with
        return _plain(decode_value(execution.input or {}))
    return _plain(decode_value(state["globals"]))


def run_failure(execution: WorkflowExecution) -> dict | None:
    """Where and why a failed run failed: ``{"step", "line", "message"}``; None otherwise."""
    if execution.status != "failed":
        return None
    error = (execution.state or {}).get("error") or {}
    return {
        "step": execution.error_step or None,
        "line": execution.error_line or error.get("line"),
        "message": execution.error or error.get("message") or "The run failed.",
    }


# A run's lists by the run's id: what run_steps ... run_events return, and what run_records
# sends in one round trip.
def _steps_of(pk) -> QuerySet[WorkflowStep]:
    return WorkflowStep.objects.filter(execution_id=pk).order_by("started_at", "id")


def _approvals_of(pk) -> QuerySet[WorkflowApproval]:
    return WorkflowApproval.objects.filter(execution_id=pk).select_related("decided_by").order_by("created_at")


def _children_of(pk) -> QuerySet[WorkflowExecution]:
    return WorkflowExecution.objects.filter(parent_id=pk).select_related("bot").order_by("created_at", "id")


def _last_events_of(pk, limit: int = 100) -> QuerySet[WorkflowEvent]:
    return WorkflowEvent.objects.filter(workflow_id=pk).select_related("source_bot").order_by("-id")[:limit]


def run_steps(execution: WorkflowExecution) -> QuerySet[WorkflowStep]:
    """Every attempt of every STEP of the run, in the order they started."""
    return _steps_of(execution.pk)


def run_approvals(execution: WorkflowExecution) -> QuerySet[WorkflowApproval]:
    return _approvals_of(execution.pk)


def run_children(execution: WorkflowExecution) -> QuerySet[WorkflowExecution]:
    """The run's direct child runs (BOT steps, PARALLEL branches) in start order."""
    return _children_of(execution.pk)


def run_branch_calls(branches) -> dict:
    """The runs the PARALLEL branches among ``branches`` started (their BOT calls), by branch
    id, in start order: who did a branch's work and what they said. One query."""
    ids = [branch.pk for branch in branches if branch.kind == "branch"]
    calls: dict = {pk: [] for pk in ids}
    if ids:
        for call in (WorkflowExecution.objects.filter(parent_id__in=ids).select_related("bot")
                     .only("parent_id", "bot__name", "status", "output", "created_at", "kind")
                     .order_by("created_at", "id")):
            calls[call.parent_id].append(call)
    return calls


def run_plan(execution: WorkflowExecution) -> tuple:
    """The STEPs the run's script plans (``graph.plan_steps``), from the script version it is
    pinned to; empty when that version is gone. One query (none once the source is parsed)."""
    if execution.script_id is None:
        return ()
    script = BotScript.objects.filter(pk=execution.script_id).values_list("source", "path").first()
    return plan_steps(*script) if script else ()


def run_events(execution: WorkflowExecution, *, limit: int = 100):
    """The last events the run published, oldest first."""
    return list(reversed(_last_events_of(execution.pk, limit)))


# What a run's detail in the API lists, for every GET of a run and every start that waits: the
# four lists above, compiled once and sent in one round trip (``fastsql.select_all``).
_RECORDS = tuple(PreparedSelect(build, WorkflowExecution._meta.pk)
                 for build in (_steps_of, _last_events_of, _children_of, _approvals_of))


def run_records(execution: WorkflowExecution) -> tuple[list, list, list, list]:
    """The run's steps, its last 100 events (oldest first), its child runs and its approvals, as
    run_steps, run_events, run_children and run_approvals give them; one round trip."""
    steps, events, children, approvals = select_all(*((select, (execution.pk,)) for select in _RECORDS))
    events.reverse()
    return steps, events, children, approvals


def run_consumed_events(execution: WorkflowExecution, *, limit: int = 100) -> list[WorkflowEventConsumption]:
    """The last events the run took (WAIT FOR EVENT, ON EVENT handlers), oldest first, each
    with its event and the event's source bot. One query."""
    recent = (execution.event_consumptions.select_related("event__source_bot")
              .order_by("-consumed_at", "-id")[:limit])
    return list(reversed(recent))


def approvals_visible_to(*, user) -> QuerySet[WorkflowApproval]:
    approvals = WorkflowApproval.objects.select_related("execution__bot", "decided_by")
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return approvals
    return approvals.filter(execution__bot__in=bots_visible_to(user=user))


def approval_list_for_user(*, user, status: str = "", bot: str = "") -> QuerySet[WorkflowApproval]:
    """Approval requests ``user`` may see: pending first (oldest deadline first), then the rest newest first."""
    approvals = approvals_visible_to(user=user)
    if status:
        approvals = approvals.filter(status=status)
    if bot:
        approvals = approvals.filter(execution__bot__name=bot)
    pending_first = Case(When(status=ApprovalStatus.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return approvals.order_by(pending_first, F("deadline").asc(nulls_last=True), "-created_at")


def approval_get_for_user(*, user, approval_id, operate: bool = False) -> WorkflowApproval:
    """One approval request ``user`` may see (NotFoundError otherwise); ``operate``: may decide it."""
    try:
        pk = uuid.UUID(str(approval_id))
    except ValueError:
        pk = None
    approval = approvals_visible_to(user=user).filter(pk=pk).first() if pk else None
    if approval is None:
        raise NotFoundError(f"No approval request {approval_id}.", code="workflows.approval_not_found",
                            extra={"id": str(approval_id)})
    if operate and not user.is_superuser and not bots_visible_to(user=user, operate=True).filter(
            pk=approval.execution.bot_id).exists():
        raise PermissionDeniedError(
            f"You may watch runs of {approval.execution.bot.name!r} but not decide their approvals.",
            code="workflows.not_operator", extra={"bot": approval.execution.bot.name})
    return approval


# --------------------------------------------------------------------------- a workflow's inputs

# Globals the engine sets itself: HUMAN APPROVAL's outcome, ON EVENT's event (compile_workflow).
ENGINE_VARIABLES = frozenset({"approved", "approval_status", "approver", "approval_comment", "event_name",
                              "event_data"})


@dataclass(frozen=True)
class WorkflowInput:
    """One variable a run may be started with: a PARAM line, or a variable read before it is set.

    ``type_name`` is the PARAM type in lower case ("" when inferred); ``default`` the text of the
    bot's ``param-NAME`` config row (what the form shows first); ``required`` is False for an
    OPTIONAL or defaulted PARAM and for inferred inputs (a run may start without them)."""

    name: str
    type_name: str = ""
    description: str = ""
    required: bool = False
    default: str = ""
    choices: tuple = ()
    declared: bool = False


def _literal(expr):
    return getattr(expr, "value", None) if isinstance(expr, ast.Literal) else None


class _ReadsBeforeSet:
    """Walks a script's main body in source order: the globals read before any statement sets
    them (SUB and FUNCTION bodies are skipped: their variables are local), and the names of
    the bots its BOT calls name (what they set comes back into the globals)."""

    def __init__(self):
        self.assigned: set[str] = set()
        self.reads: list[str] = []
        self.bots: list[str] = []

    def statements(self, body) -> None:
        for stmt in body:
            self.node(stmt)

    def set(self, target) -> None:
        if isinstance(target, ast.Name):
            self.assigned.add(target.name.lower())
        elif target is not None:  # a.b = e, a[i] = e read a first
            self.node(target)

    def node(self, node) -> None:
        if isinstance(node, ast.Routine):
            return
        if isinstance(node, ast.Name):
            name = node.name.lower()
            if name not in self.assigned and name not in self.reads:
                self.reads.append(name)
            return
        if isinstance(node, ast.BotCall) and isinstance(_literal(node.bot), str):
            self.bots.append(_literal(node.bot))
        if isinstance(node, (ast.Assign, ast.Hear, ast.WithBlock)):
            for child in children(node):
                if child is not node.target:
                    self.node(child)
            self.set(node.target)
            return
        if isinstance(node, (ast.ForEach, ast.ForRange)):
            self.assigned.add(node.var.lower())
        for child in children(node):
            self.node(child)


def _assigned_by(source: str, path: str) -> set[str]:
    try:
        tree = parse(source, path)
    except BasicError:
        return set()
    walker = _ReadsBeforeSet()
    walker.statements(tree.body)
    return walker.assigned


def workflow_inputs(*, bot: Bot, script: BotScript) -> list[WorkflowInput]:
    """What a run of ``script`` may be started with, PARAM lines first (in source order), then
    the variables its main body reads before setting them, leaving out what the engine sets
    (approval outcome, event) and what the bots its BOT calls set (their start dialogs, read in
    one query). A script that does not parse has no inputs (its problems say why)."""
    try:
        tree = parse(script.source, script.path)
    except BasicError:
        return []
    defaults = {key[6:].lower(): str(value) for key, value in (bot.config or {}).items()
                if key.lower().startswith("param-") and len(key) > 6}
    inputs = [WorkflowInput(
        name=stmt.name.lower(), type_name=stmt.type_name.lower(), declared=True,
        description=str(_literal(stmt.description) or ""),
        required=not stmt.optional and stmt.default is None and stmt.name.lower() not in defaults,
        default=defaults.get(stmt.name.lower(), str(_literal(stmt.default) if stmt.default is not None else "")),
        choices=tuple(_literal(item) for item in stmt.enum or () if _literal(item) is not None),
    ) for stmt in tree.body if isinstance(stmt, ast.Param)]
    walker = _ReadsBeforeSet()
    walker.statements(stmt for stmt in tree.body if not isinstance(stmt, ast.Param))
    set_elsewhere = set(ENGINE_VARIABLES)
    if walker.bots:
        for child in BotScript.objects.current().filter(
                bot__organization_id=bot.organization_id, bot__name__in=walker.bots, name="start").only(
                "source", "path"):
            set_elsewhere |= _assigned_by(child.source, child.path)
    declared = {item.name for item in inputs}
    inputs += [WorkflowInput(name=name, default=defaults.get(name, "")) for name in walker.reads
               if name not in declared and name not in set_elsewhere]
    return inputs


def startable_scripts(*, bots) -> QuerySet[BotScript]:
    """The current start dialogs of ``bots``, workflows (ORCHESTRATE WORKFLOW) first, then by
    bot name; ``is_workflow`` annotated. One query, the bot joined."""
    return (BotScript.objects.current().filter(bot__in=bots, name="start").select_related("bot")
            .annotate(is_workflow=ExpressionWrapper(Q(source__icontains="ORCHESTRATE WORKFLOW"),
                                                    output_field=BooleanField()))
            .order_by("-is_workflow", "bot__name"))


def runs_by_day(*, user, since: datetime) -> list[dict]:
    """Top-level workflow runs ``user`` may see started since ``since``, per day and status:
    ``{"day", "status", "count"}``. One query."""
    return list(executions_visible_to(user=user).workflows().filter(parent__isnull=True, created_at__gte=since)
                .annotate(day=TruncDate("created_at")).values("day", "status").annotate(count=Count("id"))
                .order_by("day", "status"))


def step_durations(*, user, since: datetime, limit: int = 30) -> list[dict]:
    """Finished STEP attempts of the workflow runs ``user`` may see since ``since``, per workflow
    and step label: ``{"workflow", "label", "attempts", "mean", "longest"}`` (timedeltas), the
    slowest mean first. One query."""
    return list(WorkflowStep.objects.filter(execution__in=executions_visible_to(user=user).workflows(),
                                            started_at__gte=since, duration__isnull=False)
                .values(workflow=F("execution__workflow_name"), step=F("label"))
                .annotate(attempts=Count("id"), mean=Avg("duration"), longest=Max("duration"))
                .order_by("-mean")[:limit])


def workflow_summary(script: BotScript) -> tuple[str, str] | None:
    """``(workflow name, what it does)`` when ``script`` is a workflow (ORCHESTRATE WORKFLOW in
    its main body), None otherwise. What it does is its DESCRIPTION, else its leading comment
    lines (the header authors write), else empty."""
    try:
        tree = parse(script.source, script.path)
    except BasicError:
        return None
    name = next((_literal(stmt.name) or "" for stmt in tree.body if isinstance(stmt, ast.Orchestrate)), None)
    if name is None:
        return None
    described = next((_literal(stmt.text) for stmt in tree.body if isinstance(stmt, ast.Description)), None)
    if described:
        return str(name), str(described)
    return str(name), script_header(script.source)


def script_header(source: str) -> str:
    """The comment lines a script starts with (the header authors write), as one line."""
    header = []
    for line in source.splitlines():
        text = line.strip()
        if text.startswith("'") or text.upper().startswith("REM "):
            header.append(text[1:].strip() if text.startswith("'") else text[4:].strip())
        elif text or header:
            break
    return " ".join(header)
