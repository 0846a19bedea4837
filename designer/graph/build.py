"""BASIC -> graph: the canvas view of a program, built from the parser's AST over the source text.

Guarantees (DESIGN.md section 7):

* Every physical line of the source belongs to exactly one place of the graph: a node's text
  (``src``, a leaf's option lines ``rest``, a container's divider and closing lines), or the
  comments and blank lines before a node (``lead``) or at the end of a block (``tail``). So
  rendering an unedited graph gives back the source byte for byte (``render.basic_from_graph``).
* Structure comes from the AST, text from the source: a statement's lines run from its first
  line up to the next statement of its block; a block statement is split at its dividers (ELSE,
  CASE, BRANCH) and its closing line, found by walking back from the statements of each body.
  When the text does not have the shape the AST promises (a one-line IF, a label sharing a
  line, a loose statement in a PARALLEL), the statement becomes one ``code`` node: never lost,
  only less structured.
* A file that does not parse still opens: each logical line is a code node (the whole file is
  one if even the lexer fails), and ``error`` says what is wrong and where.
"""

from __future__ import annotations

import bisect
import re

from generalbots.basic import ast
from generalbots.basic.checker import children
from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.lexer import Lexer
from generalbots.basic.parser import parse

from .kinds import BRANCH_END, CODE, CONTAINERS, container_kind, fields_of, leaf_kind, slot_bodies

FORMAT = 1
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class _Mismatch(Exception):
    """The text does not have the shape the AST promises; the statement becomes a code node."""


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``, as the lexer reads)."""
    return _LINE.findall(text)


def strip_line(text: str) -> str:
    """A node's text without its indentation and trailing blanks / line ending."""
    return text.strip()


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _max_line(node: ast.Node) -> int:
    best = node.line
    for child in children(node):
        best = max(best, _max_line(child))
    return best


class _Builder:
    def __init__(self, source: str):
        self.lines = split_lines(source)
        self.next_id = 0
        lexer = Lexer(source)
        logical = lexer.logical_lines()
        starts = [0] + [m.end() for m in re.finditer("\n", lexer.src)]
        self.spans: list[tuple[int, int]] = []
        self.heads: list[tuple[int, int]] = []
        self.owner: dict[int, int] = {}
        for k, ll in enumerate(logical):
            first = ll.tokens[0].line
            end = max(t.end for t in ll.tokens)
            last = max(first, bisect.bisect_right(starts, max(end - 1, 0)))
            last = max(last, max(t.line for t in ll.tokens))
            self.spans.append((first, last))
            self.heads.append((ll.tokens[0].line, ll.tokens[0].col))
            for n in range(first, last + 1):
                self.owner.setdefault(n, k)

    # -- text ----------------------------------------------------------------------------------

    def text(self, first: int, last: int) -> str:
        return "".join(self.lines[first - 1:last])

    def _id(self) -> str:
        self.next_id += 1
        return f"n{self.next_id}"

    def _logical_text(self, k: int) -> str:
        return self.text(*self.spans[k])

    def code(self, first: int, last: int) -> dict:
        src = self.text(first, last)
        return {"id": self._id(), "kind": CODE, "line": first, "lead": "", "src": src,
                "fields": {"code": src}}

    # -- blocks --------------------------------------------------------------------------------

    def block(self, stmts, lo: int, hi: int, strict: bool = False) -> tuple[list[dict], str]:
        """Nodes for ``stmts`` covering physical lines ``lo..hi``, and the trailing comments."""
        groups: list[tuple[int, list[ast.Stmt]]] = []
        for stmt in stmts:
            k = self.owner.get(stmt.line)
            if k is None:
                raise _Mismatch
            if groups and groups[-1][0] == k:
                groups[-1][1].append(stmt)
            elif groups and groups[-1][0] > k:
                raise _Mismatch
            else:
                groups.append((k, [stmt]))
        nodes: list[dict] = []
        lead, cursor = "", lo
        for g, (k, group) in enumerate(groups):
            start = self.spans[k][0]
            if not lo <= start <= hi:
                raise _Mismatch
            lead = self.gap(cursor, start - 1, nodes, lead, strict)
            region_end = self.spans[groups[g + 1][0]][0] - 1 if g + 1 < len(groups) else hi
            node, last = self.node(k, group, start, region_end)
            node["lead"] = lead
            nodes.append(node)
            lead, cursor = "", last + 1
        return nodes, self.gap(cursor, hi, nodes, lead, strict)

    def gap(self, first: int, last: int, nodes: list[dict], lead: str, strict: bool) -> str:
        """Lines between statements: comments and blanks become the next node's ``lead``; a
        logical line no statement claims (prose, a line of a file that did not parse) becomes
        a code node; in a block body (``strict``) a stray closing line means a wrong split."""
        n = first
        while n <= last:
            k = self.owner.get(n)
            if k is None:
                lead += self.lines[n - 1]
                n += 1
                continue
            a, b = self.spans[k]
            if a < first or b > last:
                raise _Mismatch
            if strict and _is_closer(self._logical_text(k)):
                raise _Mismatch
            node = self.code(a, b)
            node["lead"] = lead
            nodes.append(node)
            lead, n = "", b + 1
        return lead

    def last_code_line(self, first: int, last: int) -> int:
        for n in range(last, first - 1, -1):
            if n in self.owner:
                return self.spans[self.owner[n]][1]
        return first

    # -- statements ----------------------------------------------------------------------------

    def node(self, k: int, group: list[ast.Stmt], start: int, region_end: int) -> tuple[dict, int]:
        last = self.last_code_line(start, region_end)
        stmt = group[0]
        if len(group) > 1 or self.heads[k] != (stmt.line, stmt.col):
            return self.code(start, last), last
        head_end = self.spans[k][1]
        deepest = self.spans[self.owner.get(_max_line(stmt), k)][1]
        kind = container_kind(stmt)
        if kind is not None and max(deepest, last) > head_end:
            try:
                return self.container(kind, stmt, k, last), last
            except _Mismatch:
                return self.code(start, last), last
        src = self.text(start, head_end)
        leaf = leaf_kind(stmt, strip_line(src)) if last <= max(deepest, head_end) else CODE
        if leaf == CODE:
            return self.code(start, last), last
        return {"id": self._id(), "kind": leaf, "line": start, "lead": "", "src": src,
                "rest": self.text(head_end + 1, last),
                "fields": fields_of(leaf, strip_line(src))}, last

    def container(self, kind: str, stmt: ast.Stmt, k: int, last: int) -> dict:
        spec = CONTAINERS[kind]
        head = self._logical_text(k)
        closer = self.owner[last]
        if closer <= k or not spec.opens.match(strip_line(head)) \
                or not spec.closes.match(strip_line(self._logical_text(closer))):
            raise _Mismatch
        slots = slot_bodies(stmt)
        bounds: list[tuple[int | None, int]] = []  # (divider logical index, next boundary)
        boundary = closer
        for body, known in reversed(slots[1:]):
            d = (self.owner[body[0].line] if body else boundary) - 1
            if d <= k or (known is not None and not self.spans[d][0] <= known <= self.spans[d][1]):
                raise _Mismatch
            if spec.divides is None or not spec.divides.match(strip_line(self._logical_text(d))):
                raise _Mismatch
            bounds.append((d, boundary))
            boundary = d
        bounds.append((None, boundary))
        bounds.reverse()
        out_slots = []
        for (body, _), (d, nxt) in zip(slots, bounds):
            lo = self.spans[d if d is not None else k][1] + 1
            hi = self.spans[nxt][0] - 1
            end_src = ""
            if kind == "parallel" and d is not None:
                end_line = self.last_code_line(lo, hi) if any(n in self.owner for n in range(lo, hi + 1)) else None
                if end_line is not None:
                    e = self.owner[end_line]
                    if BRANCH_END.match(strip_line(self._logical_text(e))):
                        end_src = self.text(self.spans[e][0], hi)
                        hi = self.spans[e][0] - 1
            if d is None and kind in ("parallel", "select") and (
                    body or any(n in self.owner for n in range(lo, hi + 1))):
                raise _Mismatch
            nodes, tail = self.block(body, lo, hi, strict=True)
            divider = self._logical_text(d) if d is not None else None
            out_slots.append({"src": divider, "fields": {"header": strip_line(divider or "")},
                              "body": nodes, "tail": tail, "end_src": end_src})
        return {"id": self._id(), "kind": kind, "line": self.spans[k][0], "lead": "", "src": head,
                "fields": {"header": strip_line(head)}, "slots": out_slots,
                "end": self.text(self.spans[closer][0], last)}


_CLOSER = re.compile(r"\s*(?:END\b|NEXT\b|LOOP\b|WEND\b|ELSE\b|CASE\b|DEFAULT\b|BRANCH\b)",
                     re.IGNORECASE)


def _is_closer(text: str) -> bool:
    return bool(_CLOSER.match(text)) and "=" not in text.split("'")[0]


def graph_from_basic(source: str, path: str = "<script>") -> dict:
    """The graph of a program (see the module docstring). ``error`` is set (with its line)
    when the program does not parse; the graph then holds the lines as code nodes."""
    graph: dict = {"format": FORMAT, "newline": newline_of(source), "body": [], "tail": "",
                   "error": None}
    try:
        builder = _Builder(source)
    except BasicSyntaxError as exc:
        graph["error"] = {"line": exc.line, "col": exc.col, "message": exc.message}
        if source:
            graph["body"] = [{"id": "n1", "kind": CODE, "line": 1, "lead": "", "src": source,
                              "fields": {"code": source}}]
        return graph
    try:
        program = parse(source, path)
        stmts = program.body
    except BasicSyntaxError as exc:
        graph["error"] = {"line": exc.line, "col": exc.col, "message": exc.message}
        stmts = ()
    try:
        graph["body"], graph["tail"] = builder.block(stmts, 1, len(builder.lines))
    except _Mismatch:
        builder.next_id = 0
        graph["body"], graph["tail"] = builder.block((), 1, len(builder.lines))
    return graph
