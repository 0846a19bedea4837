"""What the run page puts in place around its steps: each step's child runs (a BOT step's
child, PARALLEL branches with the runs their BOT calls started, runs a DELEGATE or CALL started
while the step ran), the timeline of the events the run published and consumed, and the
partial of one child run expanded inline (``/dashboard/runs/<id>/inline/``, asked by the
page's ``<details>`` when opened, and recursively by the expanders it holds).

Every read is a selector; the pieces are matched to steps in memory, so a page costs the
same few queries whatever the number of steps, children and events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from generalbots.core.exceptions import NotFoundError
from workflows.models import WorkflowEvent
from workflows.selectors import (execution_get_for_user, run_branch_calls, run_children, run_consumed_events,
                                 run_events, run_steps)


def shown(value) -> str:
    """A value as people read it: text as is, what a bot said line by line, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _step_at(steps, moment: datetime):
    """The step attempt running at ``moment`` (the latest begun by then, unless it had ended)."""
    begun = [step for step in steps if step.started_at <= moment]
    if not begun or (begun[-1].finished_at is not None and begun[-1].finished_at < moment):
        return None
    return begun[-1]


def _where(steps, moment: datetime) -> str:
    """Where in the run ``moment`` falls: ``in STEP 2``, ``after STEP 3``, ``before the first STEP``."""
    begun = [step for step in steps if step.started_at <= moment]
    if not begun:
        return "before the first STEP" if steps else "no STEP"
    last = begun[-1]
    return f"after STEP {last.label}" if last.finished_at is not None and last.finished_at < moment \
        else f"in STEP {last.label}"


def _owner(steps, child):
    """The step that started ``child`` (not a BOT step's own child, not a branch): the latest
    attempt at the line its ``parent_key`` names begun before it, else the step running then."""
    line = child.parent_key.rsplit(":", 1)[-1] if child.parent_key else ""
    at_line = [step for step in steps if line and str(step.line) == line]
    if at_line:
        return ([step for step in at_line if step.started_at <= child.created_at] or at_line)[-1]
    return _step_at(steps, child.created_at)


def steps_with_children(steps, children, calls) -> list:
    """Give each step its child runs in place: ``child_run`` (a BOT step's), ``branches`` (a
    PARALLEL step's (branch, the runs its BOT calls started)), ``started_runs`` (what a DELEGATE
    or CALL inside it started). Returns the children no step claims, in start order."""
    by_pk = {child.pk: child for child in children}
    claimed = set()
    for step in steps:
        step.child_run = by_pk.get(step.child_id)
        step.branches, step.started_runs, step.timeline = [], [], []
        # a DELEGATE step records no output of its own: what its child said is its output
        step.output_text = shown(step.output) or (shown(step.child_run.output) if step.child_run else "")
        if step.child_run is not None:
            claimed.add(step.child_id)
    parallel = [step for step in steps if step.kind == "parallel"]
    for child in children:
        if child.pk in claimed:
            continue
        if child.kind == "branch":
            line = child.parent_key.rsplit(":", 1)[-1]
            owners = [step for step in parallel if str(step.line) == line and step.started_at <= child.created_at]
            if owners:
                owners[-1].branches.append((child, calls.get(child.pk, [])))
                claimed.add(child.pk)
            continue
        step = _owner(steps, child)
        if step is not None:
            step.started_runs.append(child)
            claimed.add(child.pk)
    return [child for child in children if child.pk not in claimed]


@dataclass(frozen=True)
class TimelineEntry:
    """One event on a run's timeline: published by the run or consumed by it, and when in the run."""

    at: datetime
    direction: str  # "published" or "consumed"
    how: str  # PUBLISH, WAIT FOR EVENT, ON EVENT handler
    event: WorkflowEvent
    where: str  # in STEP 2, after STEP 3, before the first STEP
    step: object | None  # the step attempt running then


def event_timeline(execution, steps) -> list[TimelineEntry]:
    """The events ``execution`` published and consumed, oldest first, each with where in the
    run it happened (the step running then, which gets them as ``timeline``). Two queries."""
    entries = [TimelineEntry(event.created_at, "published", "PUBLISH EVENT", event, _where(steps, event.created_at),
                             _step_at(steps, event.created_at)) for event in run_events(execution)]
    entries += [TimelineEntry(taken.consumed_at, "consumed", taken.get_kind_display(), taken.event,
                              _where(steps, taken.consumed_at), _step_at(steps, taken.consumed_at))
                for taken in run_consumed_events(execution)]
    entries.sort(key=lambda entry: (entry.at, entry.event.pk))
    for step in steps:
        step.timeline = [entry for entry in entries if entry.step is step]
    return entries


def run_steps_context(execution) -> dict:
    """The steps of ``execution`` with their children in place, and the unclaimed children."""
    steps = list(run_steps(execution))
    children = list(run_children(execution))
    calls = run_branch_calls(children)
    others = steps_with_children(steps, children, calls)
    return {"steps": steps, "children": children, "calls": calls, "other_children": others}


@require_GET
@login_required
def run_inline(request, pk: str):
    """One child run expanded in its parent's page: its bot and status, what it said, its steps
    with their outputs and its own children (expandable in turn). Same access rule as the run
    page; a hidden or missing run is the not-found partial."""
    try:
        execution = execution_get_for_user(user=request.user, execution_id=pk)
    except NotFoundError as exc:
        return render(request, "workflows/partials/run_inline_missing.html", {"message": exc.message}, status=404)
    context = {"run": execution, "said": shown(execution.output), **run_steps_context(execution)}
    return render(request, "workflows/partials/run_inline.html", context)
