"""``compile_program``: an ``ast.Program`` -> a :class:`Program` of flat instruction lists.

This module holds the driver and the plain statements; statement families live in
``compile_flow`` (IF, loops, SELECT), ``compile_keywords`` (keyword statements and
expressions, HEAR, WAIT, text blocks) and ``compile_workflow`` (workflows, steps, bots,
approvals, parallel branches, events).

Choices where BASIC.md is silent:

- A SUB/FUNCTION defined twice: the last definition wins. User routines shadow builtins.
- Statements that only declare (DESCRIPTION, TABLE, SUB/FUNCTION bodies) do nothing when
  reached; TABLE definitions are kept in ``Program.tables`` for the package loader.
- ``GOTO`` to a label that does not exist in the same code unit fails when executed.
- ``EXIT FOR`` / ``EXIT DO`` / ``BREAK`` outside a loop fail when executed.
- ``name(args)`` / ``CALL name(args)`` as a statement: a SUB/FUNCTION of the script, else a
  builtin (its result is dropped: ``PUSH(list, x)``), else ``host.run_script(name, args)``
  (the bot's ``name.bas``).
"""

from __future__ import annotations

import hashlib

from . import ast
from .builder import UnitBuilder, emit_effect
from .builtins import BUILTINS
from .compile_closures import fold
from .compile_expr import ExprCompiler
from .compile_flow import FlowCompiler
from .compile_keywords import KeywordCompiler
from .compile_workflow import WorkflowCompiler
from .errors import BasicRuntimeError, BasicThrow
from .frame import FinishSignal, ReturnSignal
from .program import COMPILER_VERSION, ParamSpec, Program
from .values import set_member


def compile_program(tree: ast.Program) -> Program:
    """Compile a parsed script. Never fails on a parsed script: anything unsupported becomes
    an instruction that fails when (and only when) it is executed."""
    return Compiler(tree).compile()


def program_hash(tree: ast.Program) -> str:
    """Identifies a script version: the same source always gives the same hash."""
    return hashlib.sha256(f"{COMPILER_VERSION}\n{tree!r}".encode()).hexdigest()


class Compiler:
    """Compiles one script; ``routines`` maps folded names to (unit, params, display)."""

    def __init__(self, tree: ast.Program):
        self.tree = tree
        self.routines: dict[str, tuple[str, tuple[str, ...], str]] = {}
        self.units: dict = {}
        self.params: list[ParamSpec] = []
        self.description: str | None = None
        self.tables: list[ast.Table] = []
        self.workflow_name: str | None = None
        self.flow = FlowCompiler(self)
        self.keywords = KeywordCompiler(self)
        self.workflow = WorkflowCompiler(self)
        self._counter = 0
        self._dispatch = {
            ast.Assign: self._assign, ast.ExprStmt: self._expr_stmt,
            ast.Unknown: self._unknown, ast.Exit: self._exit, ast.Routine: self._nothing,
            ast.CallStmt: self._call, ast.Return: self._return, ast.OnError: self._on_error,
            ast.Throw: self._throw, ast.Goto: self._goto, ast.Label: self._label,
            ast.Param: self._param, ast.Description: self._description,
            ast.Table: self._table, ast.WithBlock: self._with,
            ast.If: self.flow.if_, ast.ForEach: self.flow.for_each,
            ast.ForRange: self.flow.for_range, ast.Loop: self.flow.loop,
            ast.SelectCase: self.flow.select,
            ast.KeywordStmt: self.keywords.statement, ast.TextBlock: self.keywords.text_block,
            ast.Hear: self.keywords.hear, ast.Wait: self.keywords.wait,
            ast.PublishEvent: self.workflow.publish,
            ast.Orchestrate: self.workflow.orchestrate, ast.EndWorkflow: self.workflow.end,
            ast.Step: self.workflow.step, ast.BotCall: self.workflow.bot,
            ast.HumanApproval: self.workflow.approval, ast.Parallel: self.workflow.parallel,
            ast.OnEvent: self.workflow.on_event,
        }

    def compile(self) -> Program:
        routines = [s for s in walk(self.tree.body) if type(s) is ast.Routine]
        for r in routines:
            unit = f"{r.kind}:{fold(r.name)}"
            self.routines[fold(r.name)] = (unit, tuple(fold(p) for p in r.params), r.name)
        self.compile_unit("main", "main", self.tree.path, self.tree.body)
        for r in routines:
            unit, params, _ = self.routines[fold(r.name)]
            if unit not in self.units:
                self.compile_unit(unit, r.kind, r.name, r.body, params)
        return Program(path=self.tree.path, hash=program_hash(self.tree), units=self.units,
                       routines={k: v[0] for k, v in self.routines.items()},
                       params=self.params, description=self.description, tables=self.tables,
                       workflow=self.workflow_name)

    def new_unit_name(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}:{self._counter}"

    def compile_unit(self, name: str, kind: str, display: str, body, params=()) -> None:
        b = UnitBuilder(name, kind, display, tuple(params))
        ec = ExprCompiler(b, self)
        self.block(b, ec, body)
        last = body[-1].line if body else 0

        def make(pc, nxt, L):
            def end(fr):
                raise ReturnSignal(None)
            return end
        b.emit(last, make)
        self.units[name] = b.finish()

    def block(self, b: UnitBuilder, ec: ExprCompiler, stmts) -> None:
        for s in stmts or ():
            self.stmt(b, ec, s)

    def stmt(self, b: UnitBuilder, ec: ExprCompiler, s) -> None:
        start = b.pc
        outer_col = b.col
        b.col = s.col
        handler = self._dispatch.get(type(s))
        if handler is None:
            raise BasicRuntimeError(f"internal error: no compiler for {type(s).__name__}",
                                    line=s.line)
        handler(b, ec, s)
        b.col = outer_col
        b.end_statement(start)

    # ------------------------------------------------------------------ plain statements
    def _nothing(self, b, ec, s) -> None:
        return None

    def _assign(self, b, ec, s) -> None:
        value = ec.value(s.value)
        if type(s.target) is ast.Name and ec.is_global:
            k = fold(s.target.name)

            def make(pc, nxt, L):
                def assign_global(fr):
                    fr.vars[k] = value(fr)
                    return nxt
                return assign_global
        else:
            store = ec.store(s.target)

            def make(pc, nxt, L):
                def assign(fr):
                    store(fr, value(fr))
                    return nxt
                return assign
        b.emit(s.line, make)

    def _expr_stmt(self, b, ec, s) -> None:
        value = ec.value(s.expr)

        def make(pc, nxt, L):
            def evaluate(fr):
                value(fr)
                return nxt
            return evaluate
        b.emit(s.line, make)

    def _unknown(self, b, ec, s) -> None:
        fail(b, s.line, f"{s.keyword} is not supported")

    def _exit(self, b, ec, s) -> None:
        kind = s.kind
        if kind in ("sub", "function"):
            raise_at(b, s.line, lambda fr: ReturnSignal(None))
            return
        if kind == "script":
            raise_at(b, s.line, lambda fr: FinishSignal(None))
            return
        wanted = {"for": ("for",), "do": ("do",), "while": ("do",), "loop": ("for", "do")}
        for loop in reversed(b.loops):
            if loop.kind in wanted.get(kind, ()):
                jump(b, s.line, loop.exit)
                return
        word = "BREAK" if kind == "loop" else f"EXIT {kind.upper()}"
        fail(b, s.line, f"{word} outside a loop")

    def _call(self, b, ec, s) -> None:
        if fold(s.name) in BUILTINS and fold(s.name) not in self.routines:
            self._expr_stmt(b, ec, ast.ExprStmt(ast.Call(s.name, s.args, line=s.line,
                                                         col=s.col), line=s.line))
            return
        args = ec.values(s.args)
        if fold(s.name) in self.routines:
            ec.emit_user_call(s.line, s.name, args, None)
            return
        name = s.name
        emit_effect(b, s.line, lambda fr: fr.vm.call_script(
            s.line, name, [a(fr) for a in args]))

    def _return(self, b, ec, s) -> None:
        value = ec.value(s.value) if s.value is not None else (lambda fr: None)
        raise_at(b, s.line, lambda fr: ReturnSignal(value(fr)))

    def _on_error(self, b, ec, s) -> None:
        if s.mode == "goto" and s.label:
            target = b.named_label(s.label)

            def make(pc, nxt, L):
                def on_error_goto(fr):
                    if target.pc is None:
                        raise BasicRuntimeError(f"label {s.label} not found")
                    fr.on_error = f"goto:{target.pc}"
                    return nxt
                return on_error_goto
            b.emit(s.line, make)
            return
        mode = "resume next" if s.mode == "resume next" else None

        def make(pc, nxt, L):
            def on_error(fr):
                fr.on_error = mode
                return nxt
            return on_error
        b.emit(s.line, make)

    def _throw(self, b, ec, s) -> None:
        value = ec.value(s.value)
        line = s.line
        raise_at(b, line, lambda fr: BasicThrow(value(fr), line=line))

    def _goto(self, b, ec, s) -> None:
        target = b.named_label(s.label)
        name = s.label

        def make(pc, nxt, L):
            if target.pc is None:
                def missing(fr):
                    raise BasicRuntimeError(f"label {name} not found")
                return missing
            dest = target.pc
            return lambda fr: dest
        b.emit(s.line, make)

    def _label(self, b, ec, s) -> None:
        b.place(b.named_label(s.name))

    def _param(self, b, ec, s) -> None:
        self.params.append(ParamSpec(
            name=fold(s.name), display=s.name, type_name=s.type_name,
            description=_literal_text(s.description), optional=s.optional,
            has_default=s.default is not None,
            enum=None if s.enum is None else tuple(_literal(x) for x in s.enum),
            example=_literal(s.like)))
        default = ec.value(s.default) if s.default is not None else (lambda fr: None)
        read, write = ec.reader(s.name), ec.writer(s.name)

        def make(pc, nxt, L):
            def param(fr):
                if read(fr) is None:
                    write(fr, default(fr))
                return nxt
            return param
        b.emit(s.line, make)

    def _description(self, b, ec, s) -> None:
        if self.description is None:
            self.description = _literal_text(s.text)

    def _table(self, b, ec, s) -> None:
        self.tables.append(s)

    def _with(self, b, ec, s) -> None:
        values = ec.values([v for _, v in s.items])
        keys = [k.lstrip(".") for k, _ in s.items]
        target = s.target
        if type(target) is ast.Name:
            read, write = ec.reader(target.name), ec.writer(target.name)
        else:
            read, write = ec.value(target), ec.store(target)

        def make(pc, nxt, L):
            def with_block(fr):
                obj = read(fr)
                if type(obj) is not dict:
                    obj = {}
                    write(fr, obj)
                for k, v in zip(keys, values):
                    set_member(obj, k, v(fr), fr.limits)
                return nxt
            return with_block
        b.emit(s.line, make)


# ---------------------------------------------------------------------- helpers


def walk(stmts):
    """Every statement in ``stmts`` and in their nested blocks."""
    for s in stmts or ():
        yield s
        for name in ("body", "otherwise"):
            inner = getattr(s, name, None)
            if type(inner) is tuple:
                yield from walk(inner)
        if type(s) is ast.If:
            for br in s.branches:
                yield from walk(br.body)
        elif type(s) is ast.SelectCase:
            for c in s.cases:
                yield from walk(c.body)
        elif type(s) is ast.Parallel:
            for br in s.branches:
                yield from walk(br.body)


def fail(b: UnitBuilder, line: int, message: str) -> None:
    """Emit an instruction that fails with ``message`` when executed."""
    def make(pc, nxt, L):
        def failing(fr):
            raise BasicRuntimeError(message, line=line)
        return failing
    b.emit(line, make)


def raise_at(b: UnitBuilder, line: int, signal) -> None:
    def make(pc, nxt, L):
        def raising(fr):
            raise signal(fr)
        return raising
    b.emit(line, make)


def jump(b: UnitBuilder, line: int, label) -> None:
    def make(pc, nxt, L):
        dest = L(label)
        return lambda fr: dest
    b.emit(line, make)


def _literal(e):
    return e.value if type(e) is ast.Literal else None


def _literal_text(e) -> str | None:
    v = _literal(e)
    return None if v is None else str(v)
