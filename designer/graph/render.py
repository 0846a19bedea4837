"""Graph -> BASIC. A node whose fields still match its original text writes that text unchanged;
an edited node writes its line from the fields (keeping its indentation); a new node (no
``src``) is written from its kind, indented like its siblings. So a canvas edit changes only
the lines it touches, and an unedited graph gives back its source exactly.

``GraphError`` names the node a graph posted by hand cannot be written as BASIC for.
"""

from __future__ import annotations

from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.lexer import Lexer
from generalbots.core.exceptions import ApplicationError

from .build import split_lines, strip_line
from .kinds import CODE, CONTAINERS, KINDS, LEAVES, fields_of, line_of

INDENT = "    "


class GraphError(ApplicationError):
    """A graph that BASIC cannot express; ``extra["node"]`` is the offending node's id."""

    def __init__(self, message: str, *, node: str | None = None):
        super().__init__(message, code="designer.bad_graph", extra={"node": node})


class _Out:
    def __init__(self, newline: str):
        self.parts: list[str] = []
        self.newline = newline
        self.lines_done = 0  # complete lines written so far

    def add(self, piece: str) -> None:
        if not piece:
            return
        if self.parts and not self.parts[-1].endswith(("\n", "\r")):
            self.parts.append(self.newline)
            self.lines_done += 1
        self.parts.append(piece)
        self.lines_done += len(split_lines(piece)) - (0 if piece.endswith(("\n", "\r")) else 1)

    def next_line(self) -> int:
        """The line the next piece starts on."""
        pending = bool(self.parts) and not self.parts[-1].endswith(("\n", "\r"))
        return self.lines_done + 1 + pending

    def line(self, indent: str, text: str) -> None:
        self.add(indent + text + self.newline)


def _indent_of(src: str | None, default: str) -> str:
    if not src:
        return default
    return src[:len(src) - len(src.lstrip(" \t"))]


def _str(node: dict, value, what: str) -> str:
    if not isinstance(value, str):
        raise GraphError(f"node {node.get('id')!r}: {what} must be text", node=node.get("id"))
    return value


def _one_line(node: dict, value: str, what: str) -> str:
    if "\n" in value or "\r" in value:
        raise GraphError(f"node {node.get('id')!r}: {what} must be one line", node=node.get("id"))
    return value


def _one_statement(line: str) -> bool:
    """Is ``line`` one logical line (a field may continue a line, never start another)?"""
    try:
        return len(Lexer(line).logical_lines()) == 1
    except BasicSyntaxError:
        return True  # a field with a bad expression: the program's check reports it


def basic_from_graph(graph: dict, lines: dict[str, int] | None = None) -> str:
    """The BASIC text of ``graph`` (see the module docstring); raises ``GraphError``.
    ``lines``, when given, receives the line each node's statement starts on."""
    if not isinstance(graph, dict) or not isinstance(graph.get("body"), list):
        raise GraphError("a graph is an object with a 'body' list of nodes")
    out = _Out(graph.get("newline") if graph.get("newline") in ("\n", "\r\n") else "\n")
    seen: dict[str, int] = {} if lines is None else lines
    _block(out, graph["body"], "", seen)
    out.add(_str({}, graph.get("tail", ""), "the tail"))
    return "".join(out.parts)


def _block(out: _Out, nodes, indent: str, seen: dict[str, int]) -> None:
    if not isinstance(nodes, list):
        raise GraphError("a body must be a list of nodes")
    for node in nodes:
        _node(out, node, indent, seen)


def _child_indent(slot_body: list, indent: str) -> str:
    for child in slot_body:
        if isinstance(child, dict) and child.get("src"):
            return _indent_of(child["src"], indent + INDENT)
    return indent + INDENT


def _node(out: _Out, node, indent: str, seen: dict[str, int]) -> None:
    if not isinstance(node, dict):
        raise GraphError("each node must be an object")
    node_id = node.get("id")
    if not isinstance(node_id, str) or not node_id:
        raise GraphError("each node needs an 'id'")
    if node_id in seen:
        raise GraphError(f"node {node_id!r} appears twice", node=node_id)
    seen[node_id] = 0
    kind = node.get("kind")
    if kind not in KINDS:
        raise GraphError(f"node {node_id!r}: unknown kind {kind!r}", node=node_id)
    fields = node.get("fields")
    if not isinstance(fields, dict):
        raise GraphError(f"node {node_id!r}: 'fields' must be an object", node=node_id)
    out.add(_str(node, node.get("lead", ""), "'lead'"))
    seen[node_id] = out.next_line()
    src = node.get("src")
    if src is not None:
        _str(node, src, "'src'")
    if kind == CODE:
        code = _str(node, fields.get("code", ""), "the code")
        if src is None:
            code = "".join(indent + line for line in code.splitlines(keepends=True))
        out.add(code)
        return
    indent = _indent_of(src, indent)
    if kind in LEAVES:
        values = {name: _str(node, fields.get(name, ""), name).strip()
                  for name in LEAVES[kind].pattern.groupindex}
        if src is not None and fields_of(kind, strip_line(src)) == values:
            out.add(src)
        else:
            line = line_of(kind, values)
            if fields_of(kind, line) != values or not _one_statement(line):
                raise GraphError(f"node {node_id!r}: these fields do not make a {kind} line", node=node_id)
            out.line(indent, line)
        out.add(_str(node, node.get("rest", ""), "'rest'"))
        return
    _container(out, node, kind, indent, seen)


def _header(out: _Out, node: dict, src, header: str, indent: str) -> None:
    if src is not None and strip_line(src) == header.strip():
        out.add(src)
    else:
        out.line(indent, header.strip())


def _container(out: _Out, node: dict, kind: str, indent: str, seen: dict[str, int]) -> None:
    spec = CONTAINERS[kind]
    node_id = node["id"]
    header = _one_line(node, _str(node, node["fields"].get("header", ""), "the header"), "the header")
    if not spec.opens.match(header.strip()):
        raise GraphError(f"node {node_id!r}: a {spec.label.lower()} starts with a line like "
                         f"{spec.new_header!r}, not {header.strip()!r}", node=node_id)
    slots = node.get("slots")
    if not isinstance(slots, list) or not slots or not all(isinstance(s, dict) for s in slots):
        raise GraphError(f"node {node_id!r}: 'slots' must be a non-empty list", node=node_id)
    if spec.divides is None and len(slots) != 1:
        raise GraphError(f"node {node_id!r}: a {spec.label.lower()} has one body, not {len(slots)}",
                         node=node_id)
    if kind in ("parallel", "select") and slots[0].get("body"):
        raise GraphError(f"node {node_id!r}: statements of a {spec.label.lower()} go in its "
                         f"branches, not before the first one", node=node_id)
    if (slots[0].get("fields") or {}).get("header"):
        raise GraphError(f"node {node_id!r}: the first body of a {spec.label.lower()} follows its "
                         f"opening line and has no divider", node=node_id)
    _header(out, node, node.get("src"), header, indent)
    for k, slot in enumerate(slots):
        if k:
            divider = _one_line(node, _str(node, (slot.get("fields") or {}).get("header", ""),
                                           "a divider"), "a divider")
            if not spec.divides.match(divider.strip()):
                raise GraphError(f"node {node_id!r}: {divider.strip()!r} cannot divide a "
                                 f"{spec.label.lower()}", node=node_id)
            if kind == "condition" and divider.strip().upper() == "ELSE" and k != len(slots) - 1:
                raise GraphError(f"node {node_id!r}: ELSE must be the last branch", node=node_id)
            _header(out, node, slot.get("src"), divider, indent)
        body = slot.get("body", [])
        _block(out, body, _child_indent(body, indent) if isinstance(body, list) else indent, seen)
        out.add(_str(node, slot.get("tail", ""), "a slot's tail"))
        out.add(_str(node, slot.get("end_src", ""), "a slot's end"))
    end = node.get("end")
    if end is None:
        out.line(indent, spec.new_end)
    else:
        out.add(_str(node, end, "'end'"))
