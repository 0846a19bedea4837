"""The problems the designer shows: those of ``gb check`` (syntax and checker, with lines) and
graph checks that need the canvas or the database: a BOT step naming a bot that does not
exist, an approval without approver, an empty branch, a loop that cannot end, statements that
can never run. Each problem is ``{"line", "col", "message", "severity", "node"}``; ``node`` is
the id of the canvas node it belongs to (the innermost node starting at or before its line).
Drafts may hold problems; publishing requires that there are no errors."""

from __future__ import annotations

import re

from generalbots.basic.checking import check_source

_ENDLESS_HEAD = re.compile(r"DO\s*\Z", re.IGNORECASE)
_ENDLESS_END = re.compile(r"LOOP\s*\Z", re.IGNORECASE)
_LEAVES_LOOP = re.compile(r"^\s*(EXIT|BREAK|RETURN|THROW|GOTO)\b", re.IGNORECASE | re.MULTILINE)
_JUMP = re.compile(r"\s*(RETURN|EXIT|THROW|GOTO)\b", re.IGNORECASE)
_EMPTY = {"", '""', "''"}


def _problem(line: int, message: str, node: str | None, severity: str = "error", col: int = 0) -> dict:
    return {"line": line, "col": col, "message": message, "severity": severity, "node": node}


def _text(node: dict) -> str:
    parts = [node.get("src") or "", node.get("rest") or "", (node.get("fields") or {}).get("code", "")]
    for slot in node.get("slots", []):
        parts.append(slot.get("src") or "")
        parts.extend(_text(child) for child in slot.get("body", []))
    return "".join(parts)


def graph_problems(graph: dict, *, lines: dict[str, int], bot_names: set[str]) -> list[dict]:
    """The graph checks of the module docstring over a graph that renders (see ``render``)."""
    problems: list[dict] = []

    def walk(body: list[dict]) -> None:
        jumped = None
        for node in body:
            at = lines.get(node["id"], 0)
            if jumped is not None:
                problems.append(_problem(at, f"this statement can never run: it follows {jumped}",
                                         node["id"], "warning"))
            kind, fields = node["kind"], node.get("fields", {})
            if kind == "bot" and fields.get("bot") not in bot_names:
                problems.append(_problem(at, f"there is no bot named {fields.get('bot')!r}", node["id"]))
            if kind == "approval" and fields.get("approver", "").strip() in _EMPTY:
                problems.append(_problem(at, "this approval has no approver (HUMAN APPROVAL FROM who)",
                                         node["id"]))
            slots = node.get("slots", [])
            for k, slot in enumerate(slots):
                if k == 0 and kind in ("parallel", "select"):
                    continue
                if not slot.get("body"):
                    which = (slot.get("fields") or {}).get("header") or (node.get("fields") or {}).get("header")
                    problems.append(_problem(at, f"empty branch: nothing under {which!r}", node["id"],
                                             "warning"))
                walk(slot.get("body", []))
            if kind == "loop" and _ENDLESS_HEAD.match(fields.get("header", "").strip()) \
                    and _ENDLESS_END.match((node.get("end") or "LOOP").strip()) \
                    and not _LEAVES_LOOP.search("".join(_text(c) for s in slots for c in s.get("body", []))):
                problems.append(_problem(at, "this loop cannot end: DO ... LOOP with no WHILE/UNTIL "
                                             "and no EXIT DO inside", node["id"]))
            if kind == "code":
                m = _JUMP.match(fields.get("code", ""))
                if m and jumped is None:
                    jumped = f"{m.group(1).upper()} on line {at}"
    walk(graph["body"])
    return problems


def node_at(lines: dict[str, int], line: int) -> str | None:
    """The node whose statement starts last at or before ``line`` (the innermost one there)."""
    best, best_line = None, 0
    for node_id, start in lines.items():
        if best_line <= start <= line:
            best, best_line = node_id, start
    return best


def program_problems(source: str, lines: dict[str, int]) -> list[dict]:
    """What ``gb check`` reports for ``source``, each problem with its node."""
    report = check_source(source, "<designer>")
    return [_problem(p.line, p.message, node_at(lines, p.line), severity, p.col)
            for severity, found in (("error", report.errors), ("warning", report.warnings)) for p in found]


def problems_of(graph: dict, source: str, lines: dict[str, int], bot_names: set[str]) -> list[dict]:
    """Every problem of the program and its graph, by line."""
    found = program_problems(source, lines) + graph_problems(graph, lines=lines, bot_names=bot_names)
    return sorted(found, key=lambda p: (p["line"], p["col"]))
