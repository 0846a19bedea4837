"""The checker pass: ``check(program) -> list[Diagnostic]``, sorted by position.

Errors are things that cannot run as written (EXIT FOR outside a FOR, GOTO to a missing label,
a SUB defined twice, BRANCH outside PARALLEL) and what would fail at run time for a reason visible
here: a statement no keyword matches (``unknown statement TALKK; did you mean TALK?``, the
suggestion by ``difflib`` over the statement table), a call of a function that is neither a
builtin nor a SUB/FUNCTION of the script, a builtin called with a number of arguments it does
not take (``LEN expects 1 argument, got 2``, the run-time message), a keyword given more values
than it takes, SQL ``CREATE TABLE`` (any form) instead of ``TABLE ... END TABLE``. Warnings are
things that run but deserve a look: an unknown HEAR type, PARAM lines after code, a RETURN value
inside a SUB, and (when the caller says which bots and scripts exist) a ``BOT``/``DELEGATE``
naming a bot it does not know, a ``CALL name`` with no such SUB and no ``name.bas``.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from typing import Callable, Iterator

from . import ast
from .builtins import BUILTINS
from .keyword_calls import max_values
from .metrics import metric_name, span
from .errors import BasicRuntimeError
from .values import arity_text
from .parser_tables import STATEMENTS
from .schedule import ScheduleError, schedule_to_cron
from .sql_query import parse_query

HEAR_TYPES = {"TEXT", "STRING", "INTEGER", "NUMBER", "FLOAT", "MONEY", "BOOLEAN", "EMAIL", "DATE",
              "HOUR", "NAME", "MOBILE", "PHONE", "ZIPCODE", "URL", "UUID", "MENU", "FILE"}
LOOP_NODES = (ast.ForEach, ast.ForRange, ast.Loop)
STATEMENT_PHRASES = sorted({" ".join(phrase) for phrase in STATEMENTS})


@dataclass(frozen=True, slots=True)
class Diagnostic:
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" | "warning"


def children(node: ast.Node) -> Iterator[ast.Node]:
    """Direct child nodes of ``node``, in field order."""
    for f in dataclasses.fields(node):
        if f.name in ("line", "col"):
            continue
        yield from _nodes(getattr(node, f.name))


def _looks_like_prose(text: str) -> bool:
    """Four or more words, the first capitalised like a sentence (``This bot answers ...``)."""
    words = text.split()
    return len(words) >= 4 and words[0][:1].isupper() and words[0][1:].islower() and \
        not any(ch in text for ch in '"=(')


def _all_nodes(node: ast.Node) -> Iterator[ast.Node]:
    yield node
    for child in children(node):
        yield from _all_nodes(child)


def _nodes(value) -> Iterator[ast.Node]:
    if isinstance(value, ast.Node):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes(item)


@dataclass
class _Context:
    loops: tuple[ast.Node, ...] = ()
    routine: ast.Routine | None = None
    in_parallel: bool = False
    depth: int = 0


@dataclass
class _Checker:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    labels: dict[str, ast.Label] = field(default_factory=dict)
    jumps: list[tuple[str, ast.Node]] = field(default_factory=list)
    routines: dict[str, ast.Routine] = field(default_factory=dict)
    routine_names: set[str] = field(default_factory=set)
    bot_known: Callable[[str], bool] | None = None
    script_known: Callable[[str], bool] | None = None

    def error(self, node: ast.Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(node.line, node.col, message, "error"))

    def warning(self, node: ast.Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(node.line, node.col, message, "warning"))

    def visit(self, node: ast.Node, ctx: _Context) -> None:
        method = getattr(self, "visit_" + type(node).__name__, None)
        inner = method(node, ctx) if method else None
        inner = inner or ctx
        for child in children(node):
            self.visit(child, inner)

    # -- statements -------------------------------------------------------------------------

    def visit_Program(self, node: ast.Program, ctx: _Context):
        seen_code = False
        params: dict[str, ast.Param] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Param):
                if seen_code:
                    self.warning(stmt, f"PARAM {stmt.name} comes after code; put PARAM lines first")
                key = stmt.name.lower()
                if key in params:
                    self.warning(stmt, f"PARAM {stmt.name} is declared twice "
                                       f"(first at line {params[key].line})")
                params[key] = stmt
            elif not isinstance(stmt, (ast.Description, ast.Label, ast.Routine)):
                seen_code = True
        return _Context(depth=0)

    def _block(self, ctx: _Context, **changes) -> _Context:
        return dataclasses.replace(ctx, depth=ctx.depth + 1, **changes)

    def visit_ForEach(self, node, ctx):
        return self._block(ctx, loops=ctx.loops + (node,))

    visit_ForRange = visit_ForEach
    visit_Loop = visit_ForEach

    def visit_If(self, node, ctx):
        return self._block(ctx)

    visit_SelectCase = visit_If
    visit_WithBlock = visit_If
    visit_OnEvent = visit_If
    visit_Step = visit_If

    def visit_Parallel(self, node, ctx):
        return self._block(ctx, in_parallel=True)

    def visit_Branch(self, node: ast.Branch, ctx: _Context):
        if not ctx.in_parallel:
            self.error(node, f"BRANCH {node.label} outside PARALLEL")
        return self._block(ctx, in_parallel=False)

    def visit_Routine(self, node: ast.Routine, ctx: _Context):
        word = node.kind.upper()
        key = node.name.lower()
        if key in self.routines:
            first = self.routines[key]
            self.error(node, f"{word} {node.name} is already defined at line {first.line}")
        else:
            self.routines[key] = node
        if ctx.depth or ctx.routine is not None:
            self.warning(node, f"{word} {node.name} is defined inside another block")
        seen: set[str] = set()
        for name in node.params:
            if name.lower() in seen:
                self.error(node, f"parameter {name} appears twice in {word} {node.name}")
            seen.add(name.lower())
        return _Context(routine=node, depth=ctx.depth + 1)

    def visit_Exit(self, node: ast.Exit, ctx: _Context):
        kind = node.kind
        if kind == "script":
            return None
        if kind in ("sub", "function"):
            if ctx.routine is None or ctx.routine.kind != kind:
                self.error(node, f"EXIT {kind.upper()} outside {kind.upper()}")
            return None
        wanted = {"for": (ast.ForEach, ast.ForRange), "do": (ast.Loop,),
                  "while": (ast.Loop,), "loop": LOOP_NODES}[kind]
        if not any(isinstance(loop, wanted) for loop in ctx.loops):
            if kind == "loop":
                self.error(node, "BREAK outside a loop")
            else:
                self.error(node, f"EXIT {kind.upper()} outside {kind.upper()}")
        return None

    def visit_Return(self, node: ast.Return, ctx: _Context):
        if node.value is not None and ctx.routine is not None and ctx.routine.kind == "sub":
            self.warning(node, f"RETURN value is ignored inside SUB {ctx.routine.name}")

    def visit_Label(self, node: ast.Label, ctx: _Context):
        key = node.name.lower()
        if key in self.labels:
            self.error(node, f"label {node.name} is already defined at line "
                             f"{self.labels[key].line}")
        else:
            self.labels[key] = node

    def visit_Goto(self, node: ast.Goto, ctx: _Context):
        self.jumps.append((node.label, node))

    def visit_OnError(self, node: ast.OnError, ctx: _Context):
        if node.mode == "goto" and node.label:
            self.jumps.append((node.label, node))

    def visit_TextBlock(self, node: ast.TextBlock, ctx: _Context):
        parts = node.text.parts if isinstance(node.text, ast.Template) else ()
        for part in parts:
            if isinstance(part, ast.Literal) and str(part.value).startswith("${"):
                self.warning(part, f"{part.value} is not an expression: the text shows it as written")

    def visit_Hear(self, node: ast.Hear, ctx: _Context):
        if node.type_name is not None and node.type_name not in HEAR_TYPES:
            self.warning(node, f"unknown HEAR type {node.type_name}; the answer is kept as text")

    def visit_Unknown(self, node: ast.Unknown, ctx: _Context):
        keyword = node.keyword.upper()
        if keyword == "CREATE TABLE" or keyword.startswith("CREATE TABLE "):
            self.error(node, "SQL table definitions are not BASIC: declare the table with "
                             "TABLE name ... END TABLE in tables.bas")
            return
        if _looks_like_prose(node.text):
            self.error(node, "this line is prose, not a statement (make it a comment with ')")
            return
        if keyword in STATEMENT_PHRASES:
            self.error(node, f"this form of {keyword} is not supported")
            return
        close = difflib.get_close_matches(keyword, STATEMENT_PHRASES, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        self.error(node, f"unknown statement {node.keyword}{hint}")

    def visit_Call(self, node: ast.Call, ctx: _Context):
        name = node.name.lower()
        if name in BUILTINS and name not in self.routine_names and not node.via_call:
            entry = BUILTINS[name]
            n = len(node.args)
            if n < entry.min_args or (entry.max_args is not None and n > entry.max_args):
                self.error(node, f"{entry.name} expects "
                                 f"{arity_text(entry.min_args, entry.max_args)}, got {n}")
            return
        if node.via_call or name in self.routine_names or name == "not":
            return
        close = difflib.get_close_matches(name, list(BUILTINS) + sorted(self.routine_names),
                                          n=1, cutoff=0.75)
        hint = f"; did you mean {close[0].upper()}?" if close else ""
        self.error(node, f"unknown function {node.name}{hint}")

    def _keyword_values(self, node) -> None:
        most = max_values(node.keyword)
        if most is not None and len(node.args) > most:
            self.error(node, f"{node.keyword} takes at most {most} value"
                             f"{'s' if most != 1 else ''}, got {len(node.args)}")
        if node.keyword == "QUERY" and node.args and isinstance(node.args[0], ast.Literal):
            try:
                parse_query(str(node.args[0].value))
            except BasicRuntimeError as exc:
                self.error(node, exc.message)
        if node.keyword == "QUERY METRICS":
            self._metrics_literals(node)
        if node.keyword == "DELEGATE" and len(node.args) > 1:
            self._bot_name(node, node.args[1])

    def _metrics_literals(self, node) -> None:
        """A literal metric, period or interval of QUERY METRICS that the run would refuse is
        an error now (values held in variables are checked when the line runs)."""
        checks = [(metric_name, node.args[0]), (span, node.args[1])]
        checks += [(lambda v: span(v, "interval"), v) for k, v in node.options if k == "by"]
        for check_value, value in checks:
            if isinstance(value, ast.Literal):
                try:
                    check_value(value.value)
                except BasicRuntimeError as exc:
                    self.error(node, exc.message)

    def visit_KeywordStmt(self, node: ast.KeywordStmt, ctx: _Context):
        self._keyword_values(node)
        if node.keyword == "SET SCHEDULE" and node.args and isinstance(node.args[0], ast.Literal) \
                and isinstance(node.args[0].value, str):
            try:
                schedule_to_cron(node.args[0].value)
            except ScheduleError as exc:  # the platform would never fire it
                self.warning(node, str(exc))

    def visit_KeywordExpr(self, node: ast.KeywordExpr, ctx: _Context):
        self._keyword_values(node)

    def visit_CallStmt(self, node: ast.CallStmt, ctx: _Context):
        name = node.name.lower()
        if self.script_known is None or name in self.routine_names or name in BUILTINS:
            return
        if not self.script_known(node.name):
            self.warning(node, f"CALL {node.name}: no SUB or FUNCTION {node.name} and no "
                               f"{node.name}.bas in this package")

    def visit_BotCall(self, node: ast.BotCall, ctx: _Context):
        self._bot_name(node, node.bot)

    def _bot_name(self, node: ast.Node, name: ast.Expr) -> None:
        if self.bot_known is None or not isinstance(name, ast.Literal) or \
                not isinstance(name.value, str):
            return
        if not self.bot_known(name.value):
            self.warning(node, f"no bot named {name.value!r} in the database or in this "
                               f"folder tree")

    def finish(self, program: ast.Program) -> list[Diagnostic]:
        for label, node in self.jumps:
            if label.lower() not in self.labels:
                self.error(node, f"GOTO {label}: no such label")
        workflows = [s for s in program.body if isinstance(s, ast.Orchestrate)]
        for stmt in program.body:
            if isinstance(stmt, ast.EndWorkflow) and not workflows:
                self.warning(stmt, "END WORKFLOW without ORCHESTRATE WORKFLOW")
        return sorted(self.diagnostics, key=lambda d: (d.line, d.col))


def check(program: ast.Program, bot_known: Callable[[str], bool] | None = None,
          script_known: Callable[[str], bool] | None = None) -> list[Diagnostic]:
    """All diagnostics of ``program`` (errors and warnings), sorted by line and column.
    ``bot_known(name)`` tells whether a bot exists, ``script_known(name)`` whether the package
    has ``name.bas`` (for ``CALL name``); without them those names are not checked."""
    checker = _Checker(bot_known=bot_known, script_known=script_known)
    checker.routine_names = {s.name.lower() for s in _all_nodes(program)
                             if isinstance(s, ast.Routine)}
    checker.visit(program, _Context())
    return checker.finish(program)
