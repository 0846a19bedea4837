"""Expression nodes, the operators they carry (``UNARY_OPS``, ``BINARY_OPS``) and ``Expr``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .base import Node


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """NULL, TRUE/FALSE, a number (int or float) or a string without ``${}``."""

    value: None | bool | int | float | str


@dataclass(frozen=True, slots=True)
class Template(Node):
    """A string literal with ``${expr}`` parts: text pieces and expressions, in order."""

    parts: tuple[Union[str, "Expr"], ...]


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Member(Node):
    """``obj.name``; ``optional`` for ``obj?.name``. A missing member reads as NULL."""

    obj: "Expr"
    name: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Index(Node):
    obj: "Expr"
    index: "Expr"


@dataclass(frozen=True, slots=True)
class Call(Node):
    """``name(args)``: a builtin, a user FUNCTION/SUB, or (at run time) an error naming it.

    ``via_call`` is True for the value form ``x = CALL name(args)``: like the ``CALL``
    statement, with no SUB/FUNCTION of that name it runs ``name.bas`` of the same bot."""

    name: str
    args: tuple["Expr", ...]
    via_call: bool = False


@dataclass(frozen=True, slots=True)
class MethodCall(Node):
    """``obj.name(args)``: JS-style methods (``push``, ``trim``, ``contains`` ...)."""

    obj: "Expr"
    name: str
    args: tuple["Expr", ...]


UNARY_OPS = ("-", "not")


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str
    operand: "Expr"


BINARY_OPS = (
    "or", "??", "and",
    "=", "<>", "<", ">", "<=", ">=", "contains", "like", "starts with", "ends with",
    "+", "-", "&", "*", "/", "mod", "^",
)


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True, slots=True)
class IsNull(Node):
    """``e IS NULL`` / ``e IS NOT NULL`` (``negated``)."""

    operand: "Expr"
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Conditional(Node):
    """``cond ? then : otherwise``."""

    cond: "Expr"
    then: "Expr"
    otherwise: "Expr"


@dataclass(frozen=True, slots=True)
class ArrayLit(Node):
    """``[a, b]`` and ``NEW ARRAY`` (empty)."""

    items: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class ObjectLit(Node):
    """``{"k": e}``, ``#{k: e}`` and ``NEW OBJECT`` (empty). Keys are plain strings."""

    items: tuple[tuple[str, "Expr"], ...]


@dataclass(frozen=True, slots=True)
class KeywordExpr(Node):
    """A keyword used as a value: ``x = GET url``, ``FIND "t", "a=1"``, ``LLM "..." WITH ...``.

    ``keyword`` is canonical (see module docstring); ``args`` are positional; ``options`` are
    ``(name, expr)`` pairs with lower-case names (``("optimize for", e)``, ``("where", e)``).
    See ``KEYWORD_FORMS`` for every keyword and its shape.
    """

    keyword: str
    args: tuple["Expr", ...]
    options: tuple[tuple[str, "Expr"], ...] = ()


@dataclass(frozen=True, slots=True)
class WaitForEvent(Node):
    """``WAIT FOR EVENT name [TIMEOUT s] [WHERE field = value [AND ...]]``: the event's data.

    Used as a statement it is wrapped in ``ExprStmt``.
    """

    name: "Expr"
    timeout: "Expr | None" = None
    where: tuple[tuple[str, "Expr"], ...] = ()


Expr = Union[
    Literal, Template, Name, Member, Index, Call, MethodCall, Unary, Binary, IsNull,
    Conditional, ArrayLit, ObjectLit, KeywordExpr, WaitForEvent,
]
