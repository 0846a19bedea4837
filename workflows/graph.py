"""The picture of a run: its steps and branches as stages of nodes, drawn as server-side SVG.

A run is drawn top to bottom: a start node, one stage per STEP (retries of a step in a row
are one node showing the last attempt), PARALLEL branches side by side in branch order, and an
end node. Edges join every node of a stage to every node of the next. Colours follow the
status: completed green, running blue, waiting amber, failed red, cancelled grey, not reached
yet ("planned") a dashed grey (see ``STATUS_COLOURS``).

When the run's script is known, the picture is its plan (``plan_steps``: every STEP of the main
body in source order, what it does, its branches and their bots, whether it sits under an IF),
drawn from the start and coloured as the steps happen (``planned_stages``), with its progress.
A run whose steps stray from the plan (a label the plan lacks) is drawn from what happened
(``build_stages``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from generalbots.basic import ast, parse
from generalbots.basic.checker import children as ast_children
from generalbots.basic.errors import BasicError

STATUS_COLOURS = {
    "completed": "#2e7d32",
    "running": "#1565c0",
    "waiting": "#ef8f00",
    "failed": "#c62828",
    "timeout": "#c62828",
    "cancelled": "#757575",
    "pending": "#9e9e9e",
    "planned": "#b0bec5",
}
FINISHED = frozenset({"completed", "failed", "timeout", "cancelled"})
NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 170, 46, 24, 34, 12


@dataclass
class Node:
    key: str
    label: str
    status: str
    detail: str = ""
    href: str = ""


@dataclass
class Stage:
    nodes: list[Node] = field(default_factory=list)
    at: object = None  # sort key: when the stage began


@dataclass
class PlannedStep:
    """One STEP of a script as written: ``label``, ``detail`` (what it does), ``branches``
    ((label, bots) of a PARALLEL), ``conditional`` (under an IF or a loop: may not run)."""

    label: str
    detail: str = ""
    branches: list[tuple[str, list[str]]] = field(default_factory=list)
    conditional: bool = False


def _text(expr) -> str:
    return str(expr.value) if isinstance(expr, ast.Literal) else "…"


def _bots_in(node) -> list[str]:
    found = [_text(node.bot)] if isinstance(node, ast.BotCall) else []
    for child in ast_children(node):
        found += _bots_in(child)
    return found


def _plan_detail(step) -> tuple[str, list]:
    for stmt in step.body:
        if isinstance(stmt, ast.Parallel):
            return "parallel", [(branch.label, _bots_in(branch)) for branch in stmt.branches]
        if isinstance(stmt, ast.HumanApproval):
            return f"approval {_text(stmt.approver)}", []
        if isinstance(stmt, ast.BotCall):
            return f"BOT {_text(stmt.bot)}", []
    waits = [o for o in step.options if o.kind == "delay"]
    return ("delay" if waits else ""), []


@lru_cache(maxsize=128)
def plan_steps(source: str, path: str = "<script>") -> tuple[PlannedStep, ...]:
    """The STEPs of ``source``'s main body in source order (SUB bodies and ON EVENT handlers
    left out: they run when called); empty when it does not parse or has no STEP. Parsed once
    per source and process (callers must not change what it returns)."""
    try:
        tree = parse(source, path)
    except BasicError:
        return ()
    plan: list[PlannedStep] = []

    def walk(node, conditional: bool) -> None:
        if isinstance(node, (ast.Routine, ast.OnEvent)):
            return
        if isinstance(node, ast.Step):
            detail, branches = _plan_detail(node)
            plan.append(PlannedStep(node.label, detail, branches, conditional))
            return
        inner = conditional or isinstance(node, (ast.If, ast.SelectCase, ast.ForEach, ast.ForRange, ast.Loop))
        for child in ast_children(node):
            walk(child, inner)

    for stmt in tree.body:
        walk(stmt, False)
    labels = [step.label for step in plan]
    return tuple(plan) if len(labels) == len(set(labels)) else ()  # a label twice: no one plan to follow


def planned_stages(execution, plan, steps, children, *, run_url=lambda pk: "",
                   calls=None) -> tuple[list[Stage], dict] | None:
    """Stages of ``execution`` following ``plan``, and its progress ``{"done", "total"}`` (STEPs
    completed of those planned); None when a step happened that the plan lacks."""
    calls = calls or {}
    last: dict[str, object] = {}
    for step in steps:
        last[step.label] = step  # in start order: the last attempt wins
    if not plan or any(label not in {p.label for p in plan} for label in last):
        return None
    branches = [c for c in children if c.kind == "branch"]
    stages = [Stage([Node("start", execution.workflow_name or "start", "completed", detail=execution.bot.name)])]
    done = 0
    for planned in plan:
        step = last.get(planned.label)
        if step is not None and step.status == "completed":
            done += 1
        if planned.branches:
            ran = {b.branch_label: b for b in branches if step is not None and _line_of(b.parent_key) == step.line
                   and b.created_at >= step.started_at}
            nodes = []
            for label, bots in planned.branches:
                branch = ran.get(label)
                if branch is not None:
                    nodes.append(_branch_node(branch, run_url, calls))
                else:
                    detail = f"BOT {', '.join(dict.fromkeys(bots))}" if bots else ""
                    nodes.append(Node(f"plan-{planned.label}-{label}", f"Branch {label}", "planned", detail=detail))
            stages.append(Stage(nodes))
            continue
        if step is None:
            detail = f"{planned.detail} · if reached".strip(" ·") if planned.conditional else planned.detail
            stages.append(Stage([Node(f"plan-{planned.label}", f"STEP {planned.label}", "planned", detail=detail)]))
            continue
        node = Node(key=f"step-{step.pk}", label=f"STEP {step.label}", status=step.status,
                    detail=_step_detail(step), href=run_url(step.child_id) if step.child_id else "")
        if step.attempt > 1:
            node.detail = f"{node.detail} · attempt {step.attempt}".strip(" ·")
        stages.append(Stage([node]))
    if execution.status in ("completed", "failed", "cancelled"):
        stages.append(Stage([Node("end", execution.get_status_display(), execution.status,
                                  detail=execution.error_step and f"at STEP {execution.error_step}" or "")]))
    else:
        stages.append(Stage([Node("plan-end", "End", "planned",
                                  detail=f"now: {execution.waiting_for}" if execution.waiting_for else "")]))
    return stages, {"done": done, "total": len(plan)}


def _line_of(parent_key: str) -> int | None:
    try:
        return int(parent_key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


def _branch_node(branch, run_url, calls) -> Node:
    label = f"Branch {branch.branch_label}" if branch.branch_label else "Branch"
    bots = [call.bot.name for call in calls.get(branch.pk, ())]
    return Node(key=f"run-{branch.pk}", label=label, status=branch.status,
                detail=f"BOT {', '.join(dict.fromkeys(bots))}" if bots else branch.bot.name, href=run_url(branch.pk))


def build_stages(execution, steps, children, *, run_url=lambda pk: "", calls=None) -> list[Stage]:
    """Stages of ``execution`` from its step rows and child runs (both in start order); a
    branch node names the bots its BOT calls ran (``calls``: branch id -> its child runs)."""
    calls = calls or {}
    stages: list[Stage] = [Stage([Node("start", execution.workflow_name or "start", "completed",
                                       detail=execution.bot.name)])]
    branches = [c for c in children if c.kind == "branch"]
    used: set = set()
    body: list[Stage] = []
    for step in steps:
        node = Node(key=f"step-{step.pk}", label=f"STEP {step.label}", status=step.status,
                    detail=_step_detail(step), href=run_url(step.child_id) if step.child_id else "")
        if step.kind == "parallel":
            mine = [b for b in branches if b.pk not in used and _line_of(b.parent_key) == step.line
                    and b.created_at >= step.started_at]
            if mine:
                used.update(b.pk for b in mine)
                mine.sort(key=lambda b: (b.position, b.created_at))
                body.append(Stage([_branch_node(b, run_url, calls) for b in mine], at=step.started_at))
                continue
        if step.attempt > 1:
            node.detail = f"{node.detail} · attempt {step.attempt}".strip(" ·")
            last = body[-1].nodes if body else []
            if len(last) == 1 and last[0].label == node.label:
                last[0] = node  # a retry replaces the node of the attempt that failed
                continue
        body.append(Stage([node], at=step.started_at))
    # PARALLEL outside any STEP: one stage per PARALLEL statement (same parent key).
    groups: dict[str, list] = {}
    for branch in branches:
        if branch.pk not in used:
            groups.setdefault(branch.parent_key, []).append(branch)
    for group in groups.values():
        group.sort(key=lambda b: (b.position, b.created_at))
        body.append(Stage([_branch_node(b, run_url, calls) for b in group], at=group[0].created_at))
    body.sort(key=lambda s: s.at)
    stages.extend(body)
    if execution.status in ("completed", "failed", "cancelled"):
        stages.append(Stage([Node("end", execution.get_status_display(), execution.status,
                                  detail=execution.error_step and f"at STEP {execution.error_step}" or "")]))
    elif not body or all(n.status in FINISHED for n in body[-1].nodes):
        # Between steps (a DELAY before the next STEP, a WAIT, a pending start): where it is now.
        detail = f"for {execution.waiting_for}" if execution.waiting_for else ""
        stages.append(Stage([Node("now", execution.get_status_display(), execution.status, detail=detail)]))
    return stages


def _step_detail(step) -> str:
    data = step.input or {}
    if step.kind == "bot" and data.get("bot"):
        return f"BOT {data['bot']}"
    if step.kind == "approval":
        return f"approval {data.get('approver', '')}".strip()
    if step.status == "failed" and step.error_line:
        return f"failed at line {step.error_line}"
    return step.get_kind_display() if step.kind != "other" else ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def graph_svg(stages: list[Stage]) -> SafeString:
    """An accessible SVG of ``stages``; every node carries ``data-status`` and a link when it has one."""
    widest = max(len(s.nodes) for s in stages)
    width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X
    height = MARGIN * 2 + len(stages) * NODE_H + (len(stages) - 1) * GAP_Y
    positions: list[list[tuple[int, int]]] = []
    for row, stage in enumerate(stages):
        row_w = len(stage.nodes) * NODE_W + (len(stage.nodes) - 1) * GAP_X
        x0 = (width - row_w) // 2
        y = MARGIN + row * (NODE_H + GAP_Y)
        positions.append([(x0 + i * (NODE_W + GAP_X), y) for i in range(len(stage.nodes))])
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gb-graph" role="img" aria-label="Steps of the run" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        '<defs><marker id="gb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#90a4ae"/></marker></defs>',
    ]
    for row in range(len(stages) - 1):
        for x1, y1 in positions[row]:
            for x2, y2 in positions[row + 1]:
                parts.append(f'<path class="gb-edge" d="M{x1 + NODE_W // 2},{y1 + NODE_H} '
                             f'C{x1 + NODE_W // 2},{y1 + NODE_H + GAP_Y // 2} {x2 + NODE_W // 2},{y2 - GAP_Y // 2} '
                             f'{x2 + NODE_W // 2},{y2 - 2}" fill="none" stroke="#90a4ae" stroke-width="1.5" '
                             f'marker-end="url(#gb-arrow)"/>')
    for stage, row in zip(stages, positions):
        for node, (x, y) in zip(stage.nodes, row):
            colour = STATUS_COLOURS.get(node.status, STATUS_COLOURS["pending"])
            dashed = ' stroke-dasharray="5 4"' if node.status == "planned" else ""
            title = escape(f"{node.label}: {node.status}" + (f" — {node.detail}" if node.detail else ""))
            shape = (
                f'<g class="gb-node gb-{escape(node.status)}" data-key="{escape(node.key)}" '
                f'data-status="{escape(node.status)}"><title>{title}</title>'
                f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2"{dashed}/>'
                f'<text x="{x + NODE_W // 2}" y="{y + 19}" text-anchor="middle" font-size="13" font-weight="600" '
                f'fill="#263238">{escape(_short(node.label, 22))}</text>'
                f'<text x="{x + NODE_W // 2}" y="{y + 36}" text-anchor="middle" font-size="11" fill="{colour}">'
                f'{escape(_short(node.detail or node.status, 26))}</text></g>'
            )
            if node.href:
                shape = str(format_html('<a href="{}">', node.href)) + shape + "</a>"
            parts.append(shape)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()
