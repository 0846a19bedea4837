"""Writes of the workflows app: start, cancel, retry and resume runs; decide approvals.

Every service runs in one transaction and enqueues the worker on commit (``engine.enqueue_slice``):
the rows are the truth, the message only a hint.
"""

from __future__ import annotations

import logging
import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from generalbots.basic import WaitKind
from generalbots.basic.values import encode_value
from generalbots.bots.models import Bot, BotScript
from generalbots.bots.selectors import bot_start_scripts, start_unchanged
from generalbots.core.exceptions import ApplicationError, ConflictError, NotFoundError
from generalbots.core import fastsql
from generalbots.core.fastsql import PreparedSelect
from workflows import engine
from workflows.choices import ApprovalStatus, ExecutionKind, ExecutionStatus, StepStatus
from workflows.models import WorkflowApproval, WorkflowExecution, WorkflowStep
from workflows.realtime import approval_changed, run_changed

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
APPROVAL_SALT = "workflows.approval"
APPROVAL_LINK_MAX_AGE = 60 * 60 * 24 * 30


def _validate_variables(variables) -> dict:
    if variables is None:
        return {}
    if not isinstance(variables, dict):
        raise ValidationError({"variables": "Variables must be a JSON object of name: value pairs."})
    bad = [k for k in variables if not isinstance(k, str) or not _NAME.fullmatch(k)]  # no trailing newline
    if bad:
        raise ValidationError({"variables": f"Not a variable name: {', '.join(map(str, bad))} "
                                            "(letters, digits and _, not starting with a digit)."})
    try:
        return {k.lower(): encode_value(v) for k, v in variables.items()}
    except Exception as exc:
        raise ValidationError({"variables": f"Variables must be JSON values: {exc}"}) from None


_BOT_NAMES: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

# The current version of a dialog (one per name), compiled once: every start looks it up. Its
# source is read only when its bot names are not known yet (``_bot_names``).
_CURRENT_SCRIPT = PreparedSelect(
    lambda bot_id, name: BotScript.objects.current().filter(bot_id=bot_id, name=name).order_by()
    .defer("source", "tool_schema")[:1],
    BotScript._meta.get_field("bot"), BotScript._meta.get_field("name"))

_NAMED_BY = {"DELEGATE": 1, "BOT SHARE MEMORY": 1, "BOT SYNC MEMORY": 0}  # keyword -> argument naming a bot


def _bot_names(script: BotScript) -> tuple[frozenset[str], frozenset[str]]:
    """The bot names written as literals in ``script``: (the bots it runs with BOT and DELEGATE,
    the bots it only names with BOT SHARE / SYNC MEMORY). Parsed once per script version and
    process; names do not depend on the organization, their lookup does (``_bot_check``)."""
    found = _BOT_NAMES.get(script.source_hash)
    if found is not None:
        return found
    from generalbots.basic import ast, parse
    from generalbots.basic.checker import children

    called: set[str] = set()
    named: set[str] = set()
    stack: list = list(parse(script.source, script.path).body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BotCall) and isinstance(node.bot, ast.Literal):
            called.add(str(node.bot.value))
        elif isinstance(node, (ast.KeywordStmt, ast.KeywordExpr)) and node.keyword in _NAMED_BY:
            index = _NAMED_BY[node.keyword]
            if len(node.args) > index and isinstance(node.args[index], ast.Literal):
                (called if node.keyword == "DELEGATE" else named).add(str(node.args[index].value))
        stack.extend(children(node))
    if len(_BOT_NAMES) > 2000:
        _BOT_NAMES.clear()
    found = _BOT_NAMES[script.source_hash] = (frozenset(called), frozenset(named))
    return found


def _read_sources(scripts: list[BotScript]) -> None:
    """Set the source of ``scripts`` (whose bot names ``_bot_names`` has not parsed yet): one
    query for all, none when every name is known already (the usual start)."""
    if scripts:
        sources = dict(BotScript.objects.filter(pk__in=[s.pk for s in scripts]).values_list("pk", "source"))
        for script in scripts:
            script.source = sources.get(script.pk, "")


def _bot_check(script: BotScript, *, organization_id) -> tuple[list[str], dict[str, object], set[str]]:
    """Bots named by ``script`` (and by the bots it calls, transitively) that organization
    ``organization_id`` does not have: BOT and DELEGATE targets without a bot of that name or
    without start.bas, BOT SHARE / SYNC MEMORY bots without a bot of that name. A bot of
    another organization counts as missing, like one that does not exist: a workflow naming
    one fails at start. One query per level of calls (and one for the sources of the bots called
    whose names this process has not parsed yet). Returns those names, with what was found: the
    bots called (name -> the id of the start.bas found, at every level) and the bots only named."""
    found_called: dict[str, object] = {}
    missing: list[str] = []
    seen_called: set[str] = set()
    seen_named: set[str] = set()
    level = [script]
    while level:
        called, named = set(), set()
        for current in level:
            calls, names = _bot_names(current)
            called.update(calls)
            named.update(names)
        called -= seen_called
        named -= seen_named | seen_called | called
        if not called and not named:
            break
        seen_called.update(called)
        seen_named.update(named)
        found = bot_start_scripts(names=called | named, organization_id=organization_id)
        missing.extend(sorted(name for name in called | named
                              if name not in found or (name in called and found[name] is None)))
        level = [found[name] for name in sorted(called) if found.get(name) is not None]
        found_called.update((name, found[name].pk) for name in called if found.get(name) is not None)
        _read_sources([s for s in level if s.source_hash not in _BOT_NAMES])
    return missing, found_called, seen_named


# The dialogs started before, with what their start checked, per process, by (bot id, its
# organization, dialog name): the next start of one sends no lookup but checks in its INSERT
# (``fastsql.insert_where``) that all of it still holds — the version is still the current one,
# unchanged (the row's ``updated_at``, which every save of a version moves: its problems were
# checked again, say), and the bots its workflow names are still there in the organization, each
# called one with the same current start.bas (so the bots those call are the ones checked) —
# one round trip for the check and the INSERT. When it does not hold, nothing is written and the
# start looks everything up as before, with its errors.
_STARTABLE: dict[tuple, tuple[BotScript, str, list]] = {}
_STARTABLE_MAX = 2048


def _remember_startable(key: tuple, script: BotScript, called: dict, named: set, organization_id) -> None:
    if script.updated_at is None:
        return
    condition, params = start_unchanged(script=script, called=called, named=named, organization_id=organization_id)
    if len(_STARTABLE) >= _STARTABLE_MAX:
        _STARTABLE.clear()
    _STARTABLE[key] = (script, condition, params)


def _new_run(bot: Bot, script: BotScript, values: dict, started_by, rerun_of) -> WorkflowExecution:
    return WorkflowExecution(
        bot=bot, workflow_name=script.name, kind=ExecutionKind.WORKFLOW, is_workflow=True, script=script,
        script_hash=script.source_hash, input=values, started_by=started_by if getattr(started_by, "pk", None) else None,
        rerun_of=rerun_of,
    )


def _started(make, bot: Bot, script: BotScript, insert, here: bool) -> WorkflowExecution | None:
    """Write a new run (``make()``: its instance; ``insert(run, begin)``: True when it wrote the
    row, ``begin``: its statement opens the transaction) and have it run: a worker is asked once
    it commits, or with ``here`` this process runs its first slice in the INSERT's transaction
    (``engine.slice_started``). Returns the run (with ``here``, as its last slice in this process
    left it), or None when ``insert`` wrote nothing. Should that first slice fail, its
    transaction took the start with it: a new instance of the run goes to a worker instead, so
    the run still happens."""
    execution = make()
    if here and not connection.in_atomic_block:  # in a caller's transaction the row is not ours to slice
        kept: dict = {}

        def write() -> bool:
            if not insert(execution, True):
                return False
            run_changed(execution, created=True)  # leaves with the commit, before the slice's own messages
            return True

        try:
            done = engine.slice_started(execution, write, kept=kept)
        except Exception:
            logger.warning("Run %s: its first slice failed in this process; a worker takes it", execution.pk,
                           exc_info=True)
            execution = make()  # the failed slice changed the first one
        else:
            if done is None:
                return None
            logger.info("Run %s of bot %s started (%s.bas), sliced in this process", execution.pk, bot.name,
                        script.name)
            return kept[str(execution.pk)]
    if not insert(execution, False):
        return None
    engine.enqueue_start(execution.pk)  # first: the worker's message before the dashboards'
    run_changed(execution, created=True)
    logger.info("Run %s of bot %s started (%s.bas)", execution.pk, bot.name, script.name)
    return execution


def execution_start(*, bot: Bot, variables: dict | None = None, started_by=None,
                    script: BotScript | str | None = None,
                    rerun_of: WorkflowExecution | None = None, here: bool = False) -> WorkflowExecution:
    """Start ``script`` of ``bot`` (its current ``start`` dialog by default, or the dialog of that
    name) as a workflow run with ``variables``; a worker runs it once this commits. ``rerun_of``
    links a run that runs one STEP of a finished run again (the designer's re-run).

    ``here``: this process runs the first slice itself, in the transaction of the INSERT, with
    no message and no worker between (what an in-process engine such as DBOS or LangGraph does;
    the API's ``wait``), and returns the run as that slice left it: finished, or suspended and
    in the workers' hands from there. Inside a caller's transaction ``here`` is ignored (a
    worker takes the run once that transaction commits).

    The run is one INSERT, so no transaction is opened here (two round trips fewer on the
    path the start latency target measures); inside a caller's transaction the worker is
    asked once that transaction commits.

    Raises ValidationError for variables that are not a JSON object of simple names, and
    ApplicationError (``workflows.no_script``, ``workflows.unknown_bot``, ``workflows.inactive_bot``)
    when the run cannot start; nothing is created then.
    """
    values = _validate_variables(variables)
    if not bot.is_active:
        raise ApplicationError(f"The bot {bot.name} is not active.", code="workflows.inactive_bot")
    key = None
    if script is None or isinstance(script, str):
        name = (script or "start").lower().removesuffix(".bas")
        key = (bot.pk, bot.organization_id, name)
        known = _STARTABLE.get(key)
        if known is not None:
            started = _started(lambda: _new_run(bot, known[0], values, started_by, rerun_of), bot, known[0],
                               lambda run, begin: fastsql.insert_where(run, known[1], known[2], begin=begin), here)
            if started is not None:
                return started
            _STARTABLE.pop(key, None)  # something changed since: looked up again below
        found = _CURRENT_SCRIPT.get(bot.pk, name)
        if found is None:
            raise ApplicationError(f"The bot {bot.name} has no dialog {name}.bas.", code="workflows.no_script",
                                   extra={"bot": bot.name, "script": name})
        script = found
    if script.has_errors:
        raise ApplicationError(f"{script.path} has errors; fix them before starting it.",
                               code="workflows.script_errors", extra={"problems": script.problems})
    missing, called, named = _bot_check(script, organization_id=bot.organization_id)
    if missing:
        raise ApplicationError(
            f"The workflow names unknown bot{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.",
            code="workflows.unknown_bot", extra={"bots": missing})
    if key is not None and fastsql.fast_writes(connection):  # the next start of this dialog: one statement
        _remember_startable(key, script, called, named, bot.organization_id)

    def insert(run: WorkflowExecution, begin: bool) -> bool:  # the INSERT create() sends, compiled once per process
        fastsql.write_rows(created=[[run]], begin=begin)
        return True

    return _started(lambda: _new_run(bot, script, values, started_by, rerun_of), bot, script, insert, here)


@transaction.atomic
def execution_cancel(*, execution: WorkflowExecution) -> WorkflowExecution:
    """Cancel a run that has not finished, with its unfinished children, open steps and pending
    approvals; refuses (InvalidTransitionError) otherwise.

    The row is locked so a worker finishing the run at the same moment cannot be overwritten.
    """
    execution = WorkflowExecution.objects.select_for_update().get(pk=execution.pk)
    execution.transition_to(ExecutionStatus.CANCELLED)
    execution.waiting_for = ""
    execution.resume_at = None
    execution.save(update_fields=["status", "finished_at", "waiting_for", "resume_at", "updated_at"])
    now = timezone.now()
    WorkflowStep.objects.filter(execution=execution, status__in=[StepStatus.RUNNING, StepStatus.WAITING]).update(
        status=StepStatus.CANCELLED, finished_at=now)
    WorkflowApproval.objects.filter(execution=execution).pending().update(status=ApprovalStatus.CANCELLED,
                                                                            decided_at=now)
    engine.cancel_tree(execution, engine.SliceContext(), reason="the run was cancelled")
    run_changed(execution)
    if execution.parent_id:
        engine.enqueue_slice(execution.parent_id)
    return execution


@transaction.atomic
def execution_retry(*, execution: WorkflowExecution) -> WorkflowExecution:
    """Run a failed top-level run again from the start of its failed step's attempt.

    The engine saves the VM state before every STEP attempt (the checkpoint); retry restores it,
    with a fresh effect counter so the step's effects happen again, and records a new attempt
    row. A run that failed outside any step starts over with its input. Refuses runs that did
    not fail, and child runs (retry their top-level run).
    """
    execution = WorkflowExecution.objects.select_for_update().get(pk=execution.pk)
    if execution.parent_id:
        raise ConflictError("Only top-level runs can be retried; retry the run that started this one.",
                            code="workflows.retry_child", extra={"parent": str(execution.parent_id)})
    execution.transition_to(ExecutionStatus.PENDING)
    checkpoint = execution.checkpoint
    if checkpoint:
        state = dict(checkpoint)
        state["seq"] = max(int(state.get("seq") or 0), int((execution.state or {}).get("seq") or 0)) + 1
        steps = [dict(s) for s in state.get("steps") or []]
        label = steps[-1]["label"] if steps else execution.error_step
        attempt = (WorkflowStep.objects.filter(execution=execution, label=label)
                   .order_by("-attempt").values_list("attempt", flat=True).first() or 0) + 1
        execution.state = state
        WorkflowStep.objects.create(execution=execution, label=label, attempt=attempt, variables=state.get("globals"),
                                    line=int((execution.state.get("steps") or [{}])[-1].get("line", 0) or 0))
        execution.current_step_label = label
    else:
        execution.state = {}
    execution.attempts += 1
    execution.error, execution.error_step, execution.error_line = "", "", None
    execution.result, execution.waiting_for, execution.resume_at, execution.wait = None, "", None, {}
    execution.save()
    engine.enqueue_slice(execution.pk)  # first: the worker's message before the dashboards'
    run_changed(execution)
    return execution


@transaction.atomic
def execution_resume_now(*, execution: WorkflowExecution) -> WorkflowExecution:
    """Wake a run waiting on a timer (WAIT / DELAY / RETRY backoff) now instead of at its time;
    refuses runs that are not waiting on a timer."""
    execution = WorkflowExecution.objects.select_for_update().get(pk=execution.pk)
    if execution.status != ExecutionStatus.WAITING or execution.waiting_for != WaitKind.TIMER:
        raise ConflictError("Only a run waiting on a timer can be resumed now.", code="workflows.not_on_timer",
                            extra={"status": execution.status, "waiting_for": execution.waiting_for})
    execution.resume_at = timezone.now()
    execution.save(update_fields=["resume_at", "updated_at"])
    engine.enqueue_slice(execution.pk)
    return execution


_DECISIONS = {"approve": ApprovalStatus.APPROVED, "approved": ApprovalStatus.APPROVED,
              "reject": ApprovalStatus.REJECTED, "rejected": ApprovalStatus.REJECTED}


def approval_decide(*, approval: WorkflowApproval, decision: str, user=None, comment: str = "") -> WorkflowApproval:
    """Approve or reject a pending request and wake its run. A request is decided once: a second
    decision (or one on a timed-out, escalated or cancelled request) raises ApplicationError
    ``workflows.approval_decided`` (a ConflictError: HTTP 409); the link token is spent.

    A request whose deadline has passed cannot be decided any more, even when no worker has
    noticed yet: it is marked timed out, its run is woken so the step's timeout rule (reject,
    approve or escalate) applies, and ``workflows.approval_expired`` (409) is raised.
    """
    status = _DECISIONS.get(str(decision).strip().lower())
    if status is None:
        raise ValidationError({"decision": f"Decision must be 'approve' or 'reject', not {decision!r}."})
    with transaction.atomic():
        approval = WorkflowApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != ApprovalStatus.PENDING:
            raise ConflictError(f"This approval request is already {approval.get_status_display().lower()}.",
                                code="workflows.approval_decided",
                                extra={"approval": str(approval.pk), "status": approval.status})
        expired = _past_deadline(approval)
        if expired:
            _expire(approval)
        else:
            approval.transition_to(status)
            approval.decided_by = user if getattr(user, "pk", None) else None
            approval.comment = str(comment or "")
            approval.token = secrets.token_urlsafe(24)
            approval.save()
            approval_changed(approval.execution, approval={"id": str(approval.pk), "status": approval.status})
            engine.enqueue_slice(approval.execution_id)
    if expired:
        raise _expired_error(approval)
    return approval


def _past_deadline(approval: WorkflowApproval) -> bool:
    return approval.deadline is not None and approval.deadline <= timezone.now()


def _expire(approval: WorkflowApproval) -> None:
    """Mark a locked pending request past its deadline as timed out and wake its run, whose
    slice then applies the step's timeout rule (what the sweeper would do a little later)."""
    approval.transition_to(ApprovalStatus.TIMEOUT)
    approval.token = secrets.token_urlsafe(24)
    approval.save(update_fields=["status", "decided_at", "token", "updated_at"])
    approval_changed(approval.execution, approval={"id": str(approval.pk), "status": approval.status})
    engine.enqueue_slice(approval.execution_id)


def _expired_error(approval: WorkflowApproval) -> ConflictError:
    return ConflictError(f"This approval request expired at {approval.deadline:%Y-%m-%d %H:%M:%S %Z}; "
                         "the workflow follows its timeout rule.", code="workflows.approval_expired",
                         extra={"approval": str(approval.pk), "deadline": approval.deadline.isoformat()})


def approval_link_token(*, approval: WorkflowApproval, decision: str) -> str:
    """The signed token of a mailed approve / reject link (valid once, for 30 days)."""
    return signing.TimestampSigner(salt=APPROVAL_SALT).sign(f"{approval.pk}:{decision}:{approval.token}")


def approval_from_token(token: str) -> tuple[WorkflowApproval, str]:
    """The pending request and decision a link token names; ApplicationError when the link is
    forged, expired or already used."""
    try:
        value = signing.TimestampSigner(salt=APPROVAL_SALT).unsign(token, max_age=APPROVAL_LINK_MAX_AGE)
        pk, decision, nonce = value.split(":", 2)
    except (signing.BadSignature, ValueError):
        raise ApplicationError("This approval link is invalid or has expired.", code="workflows.bad_link") from None
    approval = WorkflowApproval.objects.select_related("execution__bot").filter(pk=pk).first()
    if approval is None:
        raise NotFoundError("This approval request no longer exists.", code="workflows.approval_not_found")
    if approval.token != nonce or approval.status != ApprovalStatus.PENDING:
        raise ApplicationError(f"This link was already used: the request is {approval.get_status_display().lower()}.",
                               code="workflows.approval_decided")
    if _past_deadline(approval):
        with transaction.atomic():
            locked = WorkflowApproval.objects.select_for_update().filter(
                pk=approval.pk, status=ApprovalStatus.PENDING).first()
            if locked is not None:
                _expire(locked)
        raise _expired_error(approval)
    return approval, decision


def approval_notify(*, approval_id) -> bool:
    """Mail the approver (when it is an address) the approve / reject links of a request."""
    from django.urls import NoReverseMatch, reverse

    approval = WorkflowApproval.objects.select_related("execution__bot").filter(pk=approval_id).first()
    if approval is None or "@" not in approval.approver:
        return False
    base = settings.GB_PUBLIC_URL.rstrip("/")  # absolute: the mail is read outside this site
    links = []
    for decision in ("approve", "reject"):
        try:
            path = reverse("workflows:approval-link", args=[approval_link_token(approval=approval, decision=decision)])
        except NoReverseMatch:
            return False
        links.append(f"{decision.title()}: {base}{path}")
    execution = approval.execution
    body = (f"The workflow {execution.workflow_name} of bot {execution.bot.name} waits for your approval"
            f"{' at step ' + approval.step_label if approval.step_label else ''}.\n\n" + "\n".join(links) + "\n")
    if approval.deadline:
        body += f"\nIt times out at {approval.deadline:%Y-%m-%d %H:%M %Z}.\n"
    try:
        send_mail(f"Approval needed: {execution.workflow_name}", body, settings.DEFAULT_FROM_EMAIL,
                  [approval.approver])
    except Exception:
        logger.exception("Could not mail approval request %s", approval.pk)
        return False
    return True
