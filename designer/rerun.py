"""A STEP cut out of its program, for re-running one step of a finished run.

The re-run is a program of its own: the STEP's statement exactly as the run's pinned script
has it (its option lines, ``ON TIMEOUT:`` ladder and body included), on the line it has there,
after ``ORCHESTRATE WORKFLOW`` with the run's workflow name and blank lines. So the re-run's
step record, errors and the designer's colours name the same line as the original run's."""

from __future__ import annotations

from designer.graph import basic_from_graph, graph_from_basic
from generalbots.core.exceptions import ApplicationError


def _node_on_line(body: list[dict], line: int) -> dict | None:
    for node in body:
        if node.get("line") == line:
            return node
        for slot in node.get("slots") or ():
            found = _node_on_line(slot.get("body") or [], line)
            if found is not None:
                return found
    return None


def step_program(source: str, *, line: int, label: str, workflow_name: str) -> str:
    """The one-step program of the STEP on ``line`` of ``source``; ApplicationError
    (``designer.step_not_found``) when no statement of the program starts there."""
    graph = graph_from_basic(source)
    node = None if graph.get("error") else _node_on_line(graph["body"], line)
    text = basic_from_graph({**graph, "body": [{**node, "lead": ""}]}) if node is not None else ""
    if not text.lstrip().upper().startswith("STEP"):
        raise ApplicationError(f"STEP {label} is not on line {line} of the run's script, so it cannot be re-run.",
                               code="designer.step_not_found", extra={"line": line, "label": label})
    name = workflow_name.replace('"', "'")
    head = f'ORCHESTRATE WORKFLOW "{name}"\n' if line > 1 else ""
    return head + "\n" * max(line - 2, 0) + text.rstrip("\r\n") + "\nEND WORKFLOW\n"
