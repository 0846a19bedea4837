"""Reads of the workflows app: run lists and the detail of one run."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from generalbots.basic.values import decode_value
from generalbots.core.exceptions import NotFoundError
from workflows.models import WorkflowExecution

_FILTERS = {"status": "status", "bot": "bot__name", "kind": "kind", "workflow_name": "workflow_name",
            "parent": "parent_id", "root": "root_id", "waiting_for": "waiting_for"}


def execution_list(filters: dict | None = None) -> QuerySet[WorkflowExecution]:
    """Runs, newest first. ``filters``: status, bot (name), kind, workflow_name, parent, root,
    waiting_for (exact), ``top_level`` (true: no parent), ``workflows_only`` (true: workflow
    runs only), ``started_after`` / ``started_before`` (datetimes)."""
    filters = filters or {}
    qs = WorkflowExecution.objects.select_related("bot", "started_by").order_by("-created_at")
    for key, lookup in _FILTERS.items():
        value = filters.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{lookup: value})
    if filters.get("top_level"):
        qs = qs.filter(parent__isnull=True)
    if filters.get("workflows_only"):
        qs = qs.filter(is_workflow=True)
    if filters.get("started_after"):
        qs = qs.filter(created_at__gte=filters["started_after"])
    if filters.get("started_before"):
        qs = qs.filter(created_at__lt=filters["started_before"])
    return qs


@dataclass
class ExecutionDetail:
    """One run with what its page shows: steps (every attempt), variables, events, children
    (in branch order) and approval requests."""

    execution: WorkflowExecution
    steps: list = field(default_factory=list)
    variables: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    children: list = field(default_factory=list)
    approvals: list = field(default_factory=list)


def execution_get_detail(*, execution_id) -> ExecutionDetail:
    """The run ``execution_id`` and its steps, variables, events, children and approvals;
    NotFoundError when there is none."""
    execution = (WorkflowExecution.objects.select_related("bot", "parent", "root", "started_by")
                 .filter(pk=execution_id).first())
    if execution is None:
        raise NotFoundError("There is no such run.", code="workflows.not_found", extra={"execution": str(execution_id)})
    variables = decode_value((execution.state or {}).get("globals") or {}) if execution.state else dict(execution.input)
    return ExecutionDetail(
        execution=execution,
        steps=list(execution.steps.select_related("child").order_by("started_at", "id")),
        variables=variables,
        events=list(execution.events.order_by("id")),
        children=list(execution.children.select_related("bot").order_by("parent_key", "position", "created_at")),
        approvals=list(execution.approvals.order_by("created_at")),
    )
