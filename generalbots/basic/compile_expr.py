"""Expressions -> Python closures ``f(frame) -> value``.

Pure expressions become one closure. An expression with effectful parts (keyword expressions,
WAIT FOR EVENT, user FUNCTION calls) is *lowered*: each effectful part becomes its own
instruction that leaves its result in a temp slot, so a suspension always happens between
instructions. Operands to the left of an effectful part are evaluated into temps first, keeping
left-to-right order; AND / OR / ?? and ``c ? a : b`` keep short-circuiting through jumps.
The closures of pure nodes come from ``compile_closures``.

Variables (choices where BASIC.md is silent):

- Names are folded to lower case; a variable never assigned reads as NULL.
- The main script, ON EVENT handlers and PARALLEL branches work on the run's globals. In a
  SUB/FUNCTION, parameters and variables first assigned there are local; assigning a name that
  already exists as a global updates the global (so a SUB can keep a counter or fill a list
  created by the script). Reads look at the locals, then the globals.
- Arguments are passed by value, but lists and objects are shared (``list.push`` in a SUB is
  seen by the caller). Missing arguments are NULL; extra ones are an error.
- ``a.b = v`` / ``a[i] = v`` on a variable holding NULL first makes it a new object.
- A JSON round trip of the state does not keep aliasing: two variables holding one list hold
  two equal lists after a restore.
"""

from __future__ import annotations

from typing import Any, Callable

from . import ast
from .builder import UnitBuilder, emit_effect
from .builtins import BUILTINS
from .compile_closures import Closure, children, closure_of, fold
from .errors import BasicRuntimeError
from .frame import MISSING, CallSignal
from .values import set_index, set_member, truthy


def temp_reader(slot: str) -> Closure:
    return lambda fr: fr.temps.pop(slot, None)


# variables that read as a builtin until assigned
DATE_NAMES = {"today": "today", "now": "now"}

class ExprCompiler:
    """Compiles expressions of one unit; lowered parts are emitted into the unit builder."""

    def __init__(self, b: UnitBuilder, cc):
        self.b = b
        self.cc = cc
        self.is_global = b.unit.is_global
        self._effectful: dict[int, bool] = {}

    # ---------------------------------------------------------------- classification
    def effectful(self, e) -> bool:
        key = id(e)
        known = self._effectful.get(key)
        if known is None:
            known = self._classify(e)
            self._effectful[key] = known
        return known

    def _classify(self, e) -> bool:
        t = type(e)
        if t is ast.KeywordExpr or t is ast.WaitForEvent:
            return True
        if t is ast.Call and (fold(e.name) in self.cc.routines or self._is_script_call(e)):
            return True
        return any(self.effectful(c) for c in children(e))

    def _is_script_call(self, e) -> bool:
        """``CALL name(...)`` as a value with no SUB/FUNCTION or builtin of that name runs
        ``name.bas`` of the same bot (BASIC.md section 3)."""
        name = fold(e.name)
        return e.via_call and name not in self.cc.routines and name not in BUILTINS

    # ---------------------------------------------------------------- variables
    def reader(self, name: str) -> Closure:
        k = fold(name)
        if k in DATE_NAMES:
            return self._date_reader(k)
        if self.is_global:
            return lambda fr: fr.vars.get(k)

        def read_local(fr):
            v = fr.vars.get(k, MISSING)
            return fr.glob.get(k) if v is MISSING else v
        return read_local

    def _date_reader(self, k: str) -> Closure:
        """``today`` / ``now`` never assigned read as TODAY() / NOW() (``DATEADD today,
        "days", 1``); once the script gives them a value (even NULL) they are variables."""
        builtin = BUILTINS[DATE_NAMES[k]].fn

        def read_date(fr):
            v = fr.vars.get(k, MISSING)
            if v is MISSING and not self.is_global:
                v = fr.glob.get(k, MISSING)
            return builtin() if v is MISSING else v
        return read_date

    def writer(self, name: str) -> Callable[[Any, Any], None]:
        """Store into a variable. In a SUB/FUNCTION: an existing local, else an existing
        global, else a new local."""
        k = fold(name)
        if self.is_global:
            def write_global(fr, v):
                fr.vars[k] = v
            return write_global

        def write_local(fr, v):
            if k not in fr.vars and k in fr.glob:
                fr.glob[k] = v
            else:
                fr.vars[k] = v
        return write_local

    def store(self, target) -> Callable[[Any, Any], None]:
        """A function storing a value into ``target`` (Name, Member or Index)."""
        t = type(target)
        if t is ast.Name:
            return self.writer(target.name)
        if t is ast.Member:
            obj = self._container(target.obj)
            name = target.name

            def set_mem(fr, v):
                set_member(obj(fr), name, v, fr.limits)
            return set_mem
        if t is ast.Index:
            obj = self._container(target.obj)
            idx = self.value(target.index)

            def set_idx(fr, v):
                set_index(obj(fr), idx(fr), v, fr.limits)
            return set_idx
        raise BasicRuntimeError("cannot assign to this expression", line=target.line)

    def _container(self, e) -> Closure:
        """Read the object an assignment writes into; a NULL variable becomes a new object."""
        if type(e) is not ast.Name:
            return self.value(e)
        read = self.reader(e.name)
        write = self.writer(e.name)

        def container(fr):
            obj = read(fr)
            if obj is None:
                obj = {}
                write(fr, obj)
            return obj
        return container

    # ---------------------------------------------------------------- lowering
    def value(self, e) -> Closure:
        """A closure for ``e``; effectful parts are emitted as instructions first."""
        if not self.effectful(e):
            return self.pure(e)
        t = type(e)
        if t is ast.KeywordExpr:
            return temp_reader(self.cc.keywords.emit_expr(self, e))
        if t is ast.WaitForEvent:
            return temp_reader(self.cc.workflow.emit_wait_event(self, e))
        if t is ast.Call and fold(e.name) in self.cc.routines:
            args = self.values(e.args)
            slot = self.b.temp()
            self.emit_user_call(e.line, e.name, args, slot)
            return temp_reader(slot)
        if t is ast.Call and self._is_script_call(e):
            return temp_reader(self._emit_script_call(e))
        if t is ast.Binary and e.op in ("and", "or", "??") and self.effectful(e.right):
            return self._short_circuit(e)
        if t is ast.Conditional and (self.effectful(e.then) or self.effectful(e.otherwise)):
            return self._conditional_jumps(e)
        return self.build(e, self.values(children(e)))

    def _emit_script_call(self, e) -> str:
        args = self.values(e.args)
        slot = self.b.temp()
        name, line = e.name, e.line

        def store(fr, v):
            fr.temps[slot] = v
        emit_effect(self.b, line, lambda fr: fr.vm.call_script(
            line, name, [a(fr) for a in args]), store)
        return slot

    def values(self, exprs) -> list[Closure]:
        """Closures for ``exprs`` in order; the ones before an effectful one are
        evaluated into temps first so that evaluation stays left to right."""
        exprs = list(exprs)
        last = max((i for i, x in enumerate(exprs) if self.effectful(x)), default=-1)
        out = []
        for i, x in enumerate(exprs):
            c = self.value(x)
            if i < last and not (type(x) is ast.Literal):
                c = self.materialize(c, x.line)
            out.append(c)
        return out

    def materialize(self, c: Closure, line: int) -> Closure:
        slot = self.b.temp()

        def make(pc, nxt, L):
            def ins(fr):
                fr.temps[slot] = c(fr)
                return nxt
            return ins
        self.b.emit(line, make)
        return temp_reader(slot)

    def emit_user_call(self, line: int, name: str, args: list[Closure], slot: str | None):
        unit_name, params, display = self.cc.routines[fold(name)]
        n_params = len(params)

        def make(pc, nxt, L):
            def ins(fr):
                vals = [a(fr) for a in args]
                if len(vals) > n_params:
                    raise BasicRuntimeError(f"{display} expects {n_params} argument"
                                            f"{'' if n_params == 1 else 's'}, got {len(vals)}")
                local = dict(zip(params, vals))
                for p in params[len(vals):]:
                    local[p] = None
                raise CallSignal(unit_name, local)
            return ins

        def resume(pc, nxt, L):
            def res(fr, v):
                if slot is not None:
                    fr.temps[slot] = v
                return nxt
            return res
        self.b.emit(line, make, resume)

    def _short_circuit(self, e) -> Closure:
        slot = self.b.temp()
        left = self.value(e.left)
        end = self.b.label()
        op = e.op

        def make_left(pc, nxt, L):
            def ins(fr):
                v = left(fr)
                if op == "and":
                    if not truthy(v):
                        fr.temps[slot] = False
                        return L(end)
                elif op == "or":
                    if truthy(v):
                        fr.temps[slot] = v
                        return L(end)
                elif not (v is None or v == ""):
                    fr.temps[slot] = v
                    return L(end)
                return nxt
            return ins
        self.b.emit(e.line, make_left)
        right = self.value(e.right)

        def make_right(pc, nxt, L):
            def ins(fr):
                v = right(fr)
                fr.temps[slot] = truthy(v) if op == "and" else v
                return nxt
            return ins
        self.b.emit(e.line, make_right)
        self.b.place(end)
        return temp_reader(slot)

    def _conditional_jumps(self, e) -> Closure:
        slot = self.b.temp()
        cond = self.value(e.cond)
        other, end = self.b.label(), self.b.label()

        def make_test(pc, nxt, L):
            def ins(fr):
                return nxt if truthy(cond(fr)) else L(other)
            return ins
        self.b.emit(e.line, make_test)
        for value_expr, after in ((e.then, end), (e.otherwise, None)):
            c = self.value(value_expr)

            def make_set(pc, nxt, L, c=c, after=after):
                def ins(fr):
                    fr.temps[slot] = c(fr)
                    return nxt if after is None else L(after)
                return ins
            self.b.emit(e.line, make_set)
            if after is not None:
                self.b.place(other)
        self.b.place(end)
        return temp_reader(slot)

    # ---------------------------------------------------------------- pure closures
    def pure(self, e) -> Closure:
        t = type(e)
        if t is ast.Literal:
            v = e.value
            return lambda fr: v
        if t is ast.Name:
            return self.reader(e.name)
        if t is ast.Binary and e.op in ("and", "or", "??"):
            return self.build(e, [self.pure(e.left), self.pure(e.right)])
        return self.build(e, [self.pure(c) for c in children(e)])

    def build(self, e, kids: list[Closure]) -> Closure:
        """The closure of node ``e`` given closures for its children (see ``children``)."""
        if type(e) is ast.Name:
            return self.reader(e.name)
        return closure_of(e, kids)
