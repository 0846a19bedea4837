"""The node kinds of the canvas: which AST statements they stand for, the fields a person edits
and how a line is written back from those fields.

A leaf kind has a ``pattern`` read on its first line (without indentation and line ending) and
a ``template`` that writes the line from the same fields, so ``fields_of(kind, text)`` of a line
written by ``line_of(kind, fields)`` gives the fields back. A container kind (condition, loop,
parallel, event handler, routine, select) keeps its lines as text fields (``header`` of the
opening line and of each divider) and says which phrases may open, divide and close it.
``code`` is any other statement, kept and edited as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generalbots.basic import ast


@dataclass(frozen=True)
class LeafKind:
    name: str
    label: str
    pattern: re.Pattern
    template: str
    defaults: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ContainerKind:
    name: str
    label: str
    opens: re.Pattern
    divides: re.Pattern | None
    closes: re.Pattern
    new_header: str
    new_end: str
    new_dividers: tuple[str, ...] = ()


def _re(text: str) -> re.Pattern:
    return re.compile(text + r"\Z", re.IGNORECASE | re.DOTALL)


LEAVES: dict[str, LeafKind] = {k.name: k for k in (
    LeafKind("talk", "Talk", _re(r"TALK\s+(?P<message>.*)"), "TALK {message}",
             {"message": '"Hello"'}),
    LeafKind("hear", "Hear", _re(r"HEAR\s+(?P<target>.*)"), "HEAR {target}", {"target": "answer"}),
    LeafKind("bot", "Bot agent",
             _re(r"STEP\s+(?P<step>\w+)\s*:\s*BOT\s+\"(?P<bot>[^\"]*)\"\s*(?P<action>.*)"),
             'STEP {step}: BOT "{bot}" {action}', {"step": "1", "bot": "", "action": '"do it"'}),
    LeafKind("approval", "Human approval",
             _re(r"STEP\s+(?P<step>\w+)\s*:\s*HUMAN\s+APPROVAL\s+FROM\s+(?P<approver>.*)"),
             "STEP {step}: HUMAN APPROVAL FROM {approver}",
             {"step": "1", "approver": '"manager@example.com"'}),
    LeafKind("wait_event", "Wait for event",
             _re(r"(?P<target>[\w.]+)\s*=\s*WAIT\s+FOR\s+EVENT\s+(?P<event>.*)"),
             "{target} = WAIT FOR EVENT {event}", {"target": "data", "event": '"done" TIMEOUT 3600'}),
    LeafKind("publish", "Publish event", _re(r"PUBLISH\s+EVENT\s+(?P<event>.*)"),
             "PUBLISH EVENT {event}", {"event": '"done"'}),
    LeafKind("delay", "Delay", _re(r"(?:WAIT|DELAY)\s+(?P<seconds>.*)"), "WAIT {seconds}",
             {"seconds": "60"}),
)}

CONTAINERS: dict[str, ContainerKind] = {k.name: k for k in (
    ContainerKind("condition", "Condition", _re(r"IF\b.*\bTHEN\s*"),
                  _re(r"ELSE\s*IF\b.*\bTHEN\s*|ELSE\s*"), _re(r"END\s*IF\s*"),
                  "IF condition THEN", "END IF", ("ELSE",)),
    ContainerKind("loop", "Loop", _re(r"(?:FOR|DO|WHILE)\b.*"), None,
                  _re(r"(?:NEXT|LOOP|WEND|END\s+FOR|END\s+WHILE)\b.*"),
                  "FOR EACH item IN items", "NEXT item"),
    ContainerKind("parallel", "Parallel", _re(r"PARALLEL\s*"), _re(r"BRANCH\b.*"),
                  _re(r"END\s+PARALLEL\s*"), "PARALLEL", "END PARALLEL", ("BRANCH a", "BRANCH b")),
    ContainerKind("on_event", "On event", _re(r"ON\s+EVENT\b.*"), None,
                  _re(r"END\s+(?:ON|EVENT)\s*"), 'ON EVENT "name" DO', "END ON"),
    ContainerKind("select", "Select case", _re(r"(?:SELECT\s+CASE|SWITCH)\b.*"),
                  _re(r"(?:CASE|DEFAULT)\b.*"), _re(r"END\s+(?:SELECT|SWITCH)\s*"),
                  "SELECT CASE value", "END SELECT", ("CASE 1",)),
    ContainerKind("routine", "Sub / function", _re(r"(?:SUB|FUNCTION)\b.*"), None,
                  _re(r"END\s+(?:SUB|FUNCTION)\s*"), "SUB name()", "END SUB"),
)}

CODE = "code"
KINDS = (*LEAVES, *CONTAINERS, CODE)
# an END BRANCH line may close a branch of a PARALLEL before the next BRANCH
BRANCH_END = _re(r"END\s+BRANCH\s*")


def container_kind(stmt: ast.Stmt) -> str | None:
    """The container kind of a block statement, or None."""
    if isinstance(stmt, ast.If):
        return "condition"
    if isinstance(stmt, (ast.ForEach, ast.ForRange, ast.Loop)):
        return "loop"
    return {ast.Parallel: "parallel", ast.OnEvent: "on_event", ast.SelectCase: "select",
            ast.Routine: "routine"}.get(type(stmt))


def slot_bodies(stmt: ast.Stmt) -> list[tuple[tuple[ast.Stmt, ...], int | None]]:
    """The bodies of a block statement in source order, each with the line of the divider that
    opens it when the AST knows it (None for the first body and for ELSE / CASE ELSE)."""
    if isinstance(stmt, ast.If):
        slots = [(b.body, None if k == 0 else b.line) for k, b in enumerate(stmt.branches)]
        return slots + ([(stmt.otherwise, None)] if stmt.otherwise is not None else [])
    if isinstance(stmt, ast.SelectCase):
        slots = [((), None)] + [(c.body, c.line) for c in stmt.cases]
        return slots + ([(stmt.otherwise, None)] if stmt.otherwise is not None else [])
    if isinstance(stmt, ast.Parallel):
        return [((), None)] + [(b.body, b.line) for b in stmt.branches]
    return [(stmt.body, None)]


def leaf_kind(stmt: ast.Stmt, text: str) -> str:
    """The leaf kind for a one-statement line whose pattern matches, else ``code``."""
    if isinstance(stmt, ast.KeywordStmt) and stmt.keyword == "TALK":
        candidates = ["talk"]
    elif isinstance(stmt, ast.Hear):
        candidates = ["hear"]
    elif isinstance(stmt, ast.Step) and len(stmt.body) == 1:
        candidates = ["bot"] if isinstance(stmt.body[0], ast.BotCall) else ["approval"]
    elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.WaitForEvent):
        candidates = ["wait_event"]
    elif isinstance(stmt, ast.PublishEvent):
        candidates = ["publish"]
    elif isinstance(stmt, ast.Wait):
        candidates = ["delay"]
    else:
        candidates = []
    for name in candidates:
        if fields_of(name, text) is not None:
            return name
    return CODE


def fields_of(kind: str, line: str) -> dict | None:
    """The fields of a leaf line (indentation and line ending removed), or None if it does not
    have the kind's shape."""
    m = LEAVES[kind].pattern.match(line)
    return None if m is None else {k: v.strip() for k, v in m.groupdict().items()}


def line_of(kind: str, fields: dict) -> str:
    """The line of a leaf written from its fields (no indentation, no line ending)."""
    spec = LEAVES[kind]
    values = {name: str(fields.get(name, "")).strip() for name in spec.pattern.groupindex}
    return spec.template.format(**values).rstrip()
