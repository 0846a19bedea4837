"""Control flow: IF, FOR, FOR EACH, DO/WHILE loops and SELECT CASE, as jumps.

Loop positions live in frame temps (plain data), so a run suspended inside a loop resumes at
the same iteration. Each loop execution may run at most ``Limits.loop_iterations`` iterations.

Choices where BASIC.md is silent:

- ``FOR i = a TO b STEP s``: ``a``, ``b`` and ``s`` are evaluated once; the body may change
  ``i``; a zero step loops until the iteration limit; after the loop ``i`` holds the first
  value past ``b`` (classic BASIC).
- ``FOR EACH`` iterates over a copy of a list (changing the list inside the loop does not
  change the iterations), the keys of an object, the characters of a text; NULL iterates zero
  times; a number, boolean or date is an error.
- ``AND`` gives TRUE/FALSE; ``OR`` gives its first truthy operand, else the right one.
"""

from __future__ import annotations

from . import ast
from .builder import LoopInfo
from .errors import BasicLimitError, BasicRuntimeError
from .values import op_add, op_eq, to_number, truthy, type_name

_BOOLEAN_OPS = ("=", "<>", "<", ">", "<=", ">=", "contains", "like", "starts with", "ends with", "and")


def returns_boolean(e) -> bool:
    """True when ``e`` always evaluates to a Python bool (no truthy() call needed)."""
    t = type(e)
    if t is ast.Binary:
        return e.op in _BOOLEAN_OPS
    if t is ast.IsNull:
        return True
    if t is ast.Unary:
        return e.op == "not"
    return t is ast.Literal and type(e.value) is bool


def loop_limit_error(fr, line: int) -> BasicLimitError:
    return BasicLimitError(f"loop ran more than {fr.limits.loop_iterations} iterations",
                           line=line)


def iteration_items(v) -> list:
    """What FOR EACH walks over (see module docstring)."""
    t = type(v)
    if t is list:
        return list(v)
    if t is dict:
        return list(v.keys())
    if t is str:
        return list(v)
    if v is None:
        return []
    raise BasicRuntimeError(f"FOR EACH needs a list, got {type_name(v)}")


class FlowCompiler:
    """Compiles the control-flow statements (see module docstring)."""

    def __init__(self, cc):
        self.cc = cc

    def test(self, b, ec, cond_expr, line: int, when_false):
        """Emit: evaluate ``cond_expr`` and jump to ``when_false`` unless it is truthy."""
        cond = ec.value(cond_expr)
        boolean = returns_boolean(cond_expr)

        def make(pc, nxt, L):
            dest = L(when_false)
            if boolean:
                return lambda fr: nxt if cond(fr) else dest
            return lambda fr: nxt if truthy(cond(fr)) else dest
        b.emit(line, make)

    def if_(self, b, ec, s) -> None:
        end = b.label()
        last = len(s.branches) - 1
        for i, br in enumerate(s.branches):
            other = b.label()
            self.test(b, ec, br.cond, br.line or s.line, other)
            self.cc.block(b, ec, br.body)
            if i < last or s.otherwise is not None:
                _jump(b, s.line, end)
            b.place(other)
        if s.otherwise is not None:
            self.cc.block(b, ec, s.otherwise)
        b.place(end)

    def for_range(self, b, ec, s) -> None:
        start = ec.value(s.start)
        stop = ec.value(s.end)
        step = ec.value(s.step) if s.step is not None else (lambda fr: 1)
        read, write = ec.reader(s.var), ec.writer(s.var)
        slot = b.temp("for")
        body, exit_ = b.label(), b.label()
        line = s.line

        def make_init(pc, nxt, L):
            done = L(exit_)

            def for_init(fr):
                a = to_number(start(fr))
                e = to_number(stop(fr))
                st = to_number(step(fr))
                write(fr, a)
                if (a <= e) if st >= 0 else (a >= e):
                    fr.temps[slot] = [e, st, fr.limits.loop_iterations]
                    return nxt
                return done
            return for_init
        b.emit(line, make_init)
        b.place(body)
        b.loops.append(LoopInfo("for", exit_))
        self.cc.block(b, ec, s.body)
        b.loops.pop()

        def make_next(pc, nxt, L):
            top = L(body)

            def for_next(fr):
                t = fr.temps[slot]
                v = read(fr)
                st = t[1]
                if type(v) is int and type(st) is int:
                    v = v + st
                else:
                    v = op_add(to_number(v), st)
                write(fr, v)
                if (v <= t[0]) if st >= 0 else (v >= t[0]):
                    left = t[2] - 1
                    if left <= 0:
                        raise loop_limit_error(fr, line)
                    t[2] = left
                    return top
                return nxt
            return for_next
        b.emit(line, make_next)
        b.place(exit_)
        _drop_temp(b, line, slot)

    def for_each(self, b, ec, s) -> None:
        iterable = ec.value(s.iterable)
        write = ec.writer(s.var)
        slot = b.temp("each")
        body, exit_ = b.label(), b.label()
        line = s.line

        def make_init(pc, nxt, L):
            done = L(exit_)

            def each_init(fr):
                items = iteration_items(iterable(fr))
                if not items:
                    return done
                fr.temps[slot] = [items, 0]
                write(fr, items[0])
                return nxt
            return each_init
        b.emit(line, make_init)
        b.place(body)
        b.loops.append(LoopInfo("for", exit_))
        self.cc.block(b, ec, s.body)
        b.loops.pop()

        def make_next(pc, nxt, L):
            top = L(body)

            def each_next(fr):
                t = fr.temps[slot]
                i = t[1] + 1
                items = t[0]
                if i < len(items):
                    if i >= fr.limits.loop_iterations:
                        raise loop_limit_error(fr, line)
                    t[1] = i
                    write(fr, items[i])
                    return top
                return nxt
            return each_next
        b.emit(line, make_next)
        b.place(exit_)
        _drop_temp(b, line, slot)

    def loop(self, b, ec, s) -> None:
        slot = b.temp("loop")
        top, exit_ = b.label(), b.label()
        line = s.line

        def make_init(pc, nxt, L):
            def loop_init(fr):
                fr.temps[slot] = fr.limits.loop_iterations
                return nxt
            return loop_init
        b.emit(line, make_init)
        b.place(top)
        if s.cond is not None and not s.test_after:
            self._loop_test(b, ec, s, exit_)

        def make_count(pc, nxt, L):
            def loop_count(fr):
                left = fr.temps[slot] - 1
                if left < 0:
                    raise loop_limit_error(fr, line)
                fr.temps[slot] = left
                return nxt
            return loop_count
        b.emit(line, make_count)
        b.loops.append(LoopInfo("do", exit_))
        self.cc.block(b, ec, s.body)
        b.loops.pop()
        if s.cond is not None and s.test_after:
            self._loop_test(b, ec, s, exit_)
        _jump(b, line, top)
        b.place(exit_)
        _drop_temp(b, line, slot)

    def _loop_test(self, b, ec, s, exit_) -> None:
        if not s.until:
            self.test(b, ec, s.cond, s.line, exit_)
            return
        cond = ec.value(s.cond)

        def make(pc, nxt, L):
            dest = L(exit_)
            return lambda fr: dest if truthy(cond(fr)) else nxt
        b.emit(s.line, make)

    def select(self, b, ec, s) -> None:
        subject = ec.value(s.subject)
        slot = b.temp("case")
        end = b.label()

        def make_subject(pc, nxt, L):
            def select_subject(fr):
                fr.temps[slot] = subject(fr)
                return nxt
            return select_subject
        b.emit(s.line, make_subject)
        for case in s.cases:
            other = b.label()
            values = ec.values(case.values)

            def make_case(pc, nxt, L, values=values, other=other):
                dest = L(other)

                def case_test(fr):
                    v = fr.temps[slot]
                    for c in values:
                        if op_eq(v, c(fr)):
                            return nxt
                    return dest
                return case_test
            b.emit(case.line or s.line, make_case)
            self.cc.block(b, ec, case.body)
            _jump(b, s.line, end)
            b.place(other)
        if s.otherwise is not None:
            self.cc.block(b, ec, s.otherwise)
        b.place(end)
        _drop_temp(b, s.line, slot)


def _jump(b, line: int, label) -> None:
    def make(pc, nxt, L):
        dest = L(label)
        return lambda fr: dest
    b.emit(line, make)


def _drop_temp(b, line: int, slot: str) -> None:
    def make(pc, nxt, L):
        def drop(fr):
            fr.temps.pop(slot, None)
            return nxt
        return drop
    b.emit(line, make)
