"""Where workflow changes are announced, and the one call the engine makes to announce them.

Groups (Channels):
- ``workflow.run.<id>``: one run's page; a child's changes reach its parent's and root's group
  too, so a page shows its branches move;
- ``workflow.bot.<bot id>``: the runs of one bot (dashboards of users granted that bot; by id, as a
  name may later be another organization's bot's);
- ``workflow.runs``: every run (the dashboard of a superuser).

Messages go out through ``generalbots.core.realtime.publish``, on commit, with the types
``workflow.status`` (a run was created or changed status, step or wait; on the run's own
group it lists the steps the slice wrote, ``steps``), ``workflow.step`` (one step record changed) and ``workflow.approval`` (an approval was requested or decided).
"""

from typing import Any

from generalbots.core.realtime import publish, publish_many

RUNS_GROUP = "workflow.runs"
EVENT_TYPES = ("workflow.status", "workflow.step", "workflow.approval")


def run_group(execution_id) -> str:
    return f"workflow.run.{execution_id}"


def bot_group(bot_id) -> str:
    return f"workflow.bot.{bot_id}"


def run_summary(execution) -> dict[str, Any]:
    """What a dashboard needs to redraw a row without asking (plain JSON values)."""
    return {
        "id": str(execution.pk),
        "bot": execution.bot.name,
        "workflow_name": execution.workflow_name,
        "status": execution.status,
        "current_step": execution.current_step,
        "waiting_for": execution.waiting_for,
        "parent": str(execution.parent_id) if execution.parent_id else None,
        "root": str(execution.root_id) if execution.root_id else None,
        "error": execution.error,
    }


def _groups(execution, *, created: bool = False) -> list[str]:
    """Where a change of ``execution`` goes; a run ``created`` by this change has no page open
    yet, so its own group is left out."""
    groups = ([] if created else [run_group(execution.pk)]) + [bot_group(execution.bot_id), RUNS_GROUP]
    for ancestor in (execution.parent_id, execution.root_id):
        if ancestor and run_group(ancestor) not in groups:
            groups.append(run_group(ancestor))
    return groups


def run_changed(execution, *, type: str = "workflow.status", extra: dict[str, Any] | None = None,
                created: bool = False) -> None:
    """Announce that ``execution`` changed (created, status, step, wait): call it in the
    transaction that saved the change; the message leaves when it commits. A run just
    ``created`` has no page open yet, so its own group is skipped."""
    data = run_summary(execution)
    if extra:
        data.update(extra)
    for group in _groups(execution, created=created):
        publish(group=group, type=type, data=data)


def step_changed(execution, *, step: dict[str, Any]) -> None:
    """Announce that a step record of ``execution`` changed; ``step`` is its plain summary."""
    run_changed(execution, type="workflow.step", extra={"step": step})


def step_summary(step) -> dict[str, Any]:
    """What a run's page needs to colour one step: its label, attempt, status and line."""
    return {"label": step.label, "attempt": step.attempt, "status": step.status, "line": step.line,
            "kind": step.kind}


def approval_changed(execution, *, approval: dict[str, Any]) -> None:
    """Announce that an approval of ``execution`` was requested or decided."""
    run_changed(execution, type="workflow.approval", extra={"approval": approval})


def runs_changed(executions, *, created=(), steps=()) -> None:
    """Announce many changed runs of one slice with one message per group (the last run
    touching a group is the one described), so a slice of inline children stays cheap. Runs in
    ``created`` did not exist before this slice, so nobody listens on their own group yet.

    ``steps`` are the step records the slice wrote: each run's own group gets that run's
    summary with ``steps`` (each step once, as it stands at the commit, in the order they
    began: what the designer colours its nodes by) in the same message, so steps cost no
    message of their own. Ancestors' groups get no step lists (their pages show runs)."""
    per_group: dict[str, dict[str, Any]] = {}
    summaries: dict[Any, dict[str, Any]] = {}
    for execution in executions:
        data = summaries[execution.pk] = run_summary(execution)
        for group in _groups(execution, created=execution.pk in created):
            per_group[group] = data
    per_run: dict = {}
    for step in steps:
        per_run.setdefault(step.execution_id, {})[id(step)] = step
    for execution_id, found in per_run.items():
        if execution_id in created:
            continue
        ordered = sorted(found.values(), key=lambda step: step.started_at)
        data = summaries.get(execution_id) or {"id": str(execution_id)}
        per_group[run_group(execution_id)] = {**data, "steps": [step_summary(step) for step in ordered]}
    publish_many([(group, "workflow.status", data) for group, data in per_group.items()])
