"""Closures of pure expressions: given the closures of a node's children, the closure
``f(frame) -> value`` of the node (operators, members and items, builtin calls, templates,
list and object literals), and the children of every expression node in evaluation order.

``ExprCompiler`` (``compile_expr``) decides what is pure and lowers the rest into
instructions; this module knows nothing of units, temps or effects.
"""

from __future__ import annotations

from typing import Any, Callable

from . import ast
from .builtins import BUILTINS, call_builtin
from .errors import BasicRuntimeError
from .values import (
    call_method, check_list_size, get_index, get_member, op_concat, op_div,
    op_eq, op_ge, op_gt, op_le, op_like, op_lt, op_mod, op_mul, op_ne, op_neg, op_pow, op_sub,
    op_add, op_contains, to_text, truthy,
)
from .values.core import INT_LIMIT, text_too_long

Closure = Callable[[Any], Any]

_PLAIN_OPS = {
    "-": op_sub, "*": op_mul, "/": op_div, "mod": op_mod, "^": op_pow,
    "=": op_eq, "<>": op_ne, "<": op_lt, ">": op_gt, "<=": op_le, ">=": op_ge,
    "contains": op_contains, "like": op_like,
    # a STARTS WITH b / a ENDS WITH b: text, ignoring case like CONTAINS
    "starts with": lambda a, b: a is not None and b is not None and
    to_text(a).lower().startswith(to_text(b).lower()),
    "ends with": lambda a, b: a is not None and b is not None and
    to_text(a).lower().endswith(to_text(b).lower()),
}


def fold(name: str) -> str:
    """Identifiers are case-insensitive: the key a name is stored under."""
    return name.lower()


def closure_of(e, kids: list[Closure]) -> Closure:
    """The closure of pure node ``e`` (any expression but a Name, whose closure depends on the
    unit: ``ExprCompiler.reader``) given closures for its children (see ``children``)."""
    t = type(e)
    line = e.line
    if t is ast.Literal:
        v = e.value
        return lambda fr: v
    if t is ast.Template:
        return _template(e, kids)
    if t is ast.Member:
        obj, name = kids[0], e.name
        return lambda fr: get_member(obj(fr), name)
    if t is ast.Index:
        obj, idx = kids
        return lambda fr: get_index(obj(fr), idx(fr))
    if t is ast.Call:
        return _builtin_call(e, kids)
    if t is ast.MethodCall:
        obj, args, name = kids[0], kids[1:], e.name
        return lambda fr: call_method(obj(fr), name, [a(fr) for a in args], fr.limits)
    if t is ast.Unary:
        x = kids[0]
        if e.op == "-":
            return lambda fr: op_neg(x(fr))
        return lambda fr: not truthy(x(fr))
    if t is ast.Binary:
        return _binary(e.op, kids[0], kids[1])
    if t is ast.IsNull:
        x = kids[0]
        if e.negated:
            return lambda fr: x(fr) is not None
        return lambda fr: x(fr) is None
    if t is ast.Conditional:
        c, a, b = kids
        return lambda fr: a(fr) if truthy(c(fr)) else b(fr)
    if t is ast.ArrayLit:
        return lambda fr: check_list_size([k(fr) for k in kids], fr.limits)
    if t is ast.ObjectLit:
        pairs = list(zip([k for k, _ in e.items], kids))
        return lambda fr: {k: c(fr) for k, c in pairs}
    raise BasicRuntimeError(f"internal error: cannot compile {t.__name__}", line=line)


def children(e) -> tuple:
    """The sub-expressions of ``e`` in evaluation order (the order ``closure_of`` expects)."""
    t = type(e)
    if t is ast.Template:
        return tuple(p for p in e.parts if not isinstance(p, str))
    if t is ast.Member:
        return (e.obj,)
    if t is ast.Index:
        return (e.obj, e.index)
    if t is ast.Call:
        return e.args
    if t is ast.MethodCall:
        return (e.obj, *e.args)
    if t is ast.Unary or t is ast.IsNull:
        return (e.operand,)
    if t is ast.Binary:
        return (e.left, e.right)
    if t is ast.Conditional:
        return (e.cond, e.then, e.otherwise)
    if t is ast.ArrayLit:
        return e.items
    if t is ast.ObjectLit:
        return tuple(v for _, v in e.items)
    if t is ast.KeywordExpr:
        return (*e.args, *(v for _, v in e.options))
    if t is ast.WaitForEvent:
        extra = () if e.timeout is None else (e.timeout,)
        return (e.name, *extra, *(v for _, v in e.where))
    return ()


def _template(e, kids: list[Closure]) -> Closure:
    pieces: list = []
    it = iter(kids)
    for p in e.parts:
        pieces.append(p if isinstance(p, str) else next(it))

    def template(fr):
        limit = left = fr.limits.string_length
        out = []
        for p in pieces:
            if type(p) is not str:
                p = p(fr)
                if type(p) is not str:
                    p = to_text(p, limit, max(left, 0))
            left -= len(p)
            if left < 0:
                raise text_too_long(limit)
            out.append(p)
        return "".join(out)
    return template


def _builtin_call(e, kids: list[Closure]) -> Closure:
    name, line = e.name, e.line
    if fold(name) == "not" and len(kids) == 1 and "not" not in BUILTINS:
        x = kids[0]  # ``NOT (a = b)`` may arrive as a call of NOT
        return lambda fr: not truthy(x(fr))
    if fold(name) not in BUILTINS:
        def unknown(fr):
            raise BasicRuntimeError(f"unknown function {name}", line=line)
        return unknown
    if not kids:
        return lambda fr: call_builtin(name, (), line=line, limits=fr.limits)
    if len(kids) == 1:
        a = kids[0]
        return lambda fr: call_builtin(name, (a(fr),), line=line, limits=fr.limits)
    return lambda fr: call_builtin(name, [k(fr) for k in kids], line=line, limits=fr.limits)


def _binary(op: str, left: Closure, right: Closure) -> Closure:
    if op == "and":
        return lambda fr: truthy(left(fr)) and truthy(right(fr))
    if op == "or":
        def or_(fr):
            a = left(fr)
            return a if truthy(a) else right(fr)
        return or_
    if op == "??":
        def coalesce(fr):
            a = left(fr)
            return right(fr) if a is None or a == "" else a
        return coalesce
    if op == "&":
        return lambda fr: op_concat(left(fr), right(fr), fr.limits)
    if op == "+":
        def add(fr):
            a = left(fr)
            b = right(fr)
            if type(a) is int and type(b) is int:
                r = a + b
                if -INT_LIMIT < r < INT_LIMIT:
                    return r
            return op_add(a, b, fr.limits)
        return add
    if op == "-":
        def sub(fr):
            a = left(fr)
            b = right(fr)
            if type(a) is int and type(b) is int:
                r = a - b
                if -INT_LIMIT < r < INT_LIMIT:
                    return r
            return op_sub(a, b)
        return sub
    fn = _PLAIN_OPS.get(op)
    if fn is None:
        raise BasicRuntimeError(f"internal error: unknown operator {op}")
    return lambda fr: fn(left(fr), right(fr))
