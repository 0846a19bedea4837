"""Statement nodes (all but the multi-agent ones of ``workflow``), ``Stmt`` and ``Program``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .base import Block, Node
from .expressions import Expr, Index, Literal, Member, Name, Template
from .workflow import (BotCall, EndWorkflow, HumanApproval, OnEvent, Orchestrate, Parallel,
                       PublishEvent, Step)


@dataclass(frozen=True, slots=True)
class Assign(Node):
    """``x = e``, ``LET x = e``, ``SET x = e``, ``a.b = e``, ``a[i] = e``."""

    target: Union[Name, Member, Index]
    value: Expr


@dataclass(frozen=True, slots=True)
class ExprStmt(Node):
    """An expression evaluated for its effect (``list.push(x)``, ``WAIT FOR EVENT ...``)."""

    expr: Expr


@dataclass(frozen=True, slots=True)
class KeywordStmt(Node):
    """A keyword statement: ``TALK e``, ``SET BOT MEMORY k, v``, ``SAVE "t", a, b`` ...

    Same conventions as ``KeywordExpr``; see ``KEYWORD_FORMS``.
    """

    keyword: str
    args: tuple[Expr, ...]
    options: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True, slots=True)
class Unknown(Node):
    """A statement the platform does not implement. Parses; fails only when executed with
    ``line N: KEYWORD is not supported``. ``text`` is the whole statement as written."""

    keyword: str
    text: str


@dataclass(frozen=True, slots=True)
class IfBranch(Node):
    cond: Expr
    body: Block


@dataclass(frozen=True, slots=True)
class If(Node):
    """IF / ELSE IF / ELSEIF / ELSE / END IF, and single-line ``IF c THEN stmt [ELSE stmt]``."""

    branches: tuple[IfBranch, ...]
    otherwise: Block | None = None


@dataclass(frozen=True, slots=True)
class ForEach(Node):
    var: str
    iterable: Expr
    body: Block


@dataclass(frozen=True, slots=True)
class ForRange(Node):
    var: str
    start: Expr
    end: Expr
    step: Expr | None
    body: Block


@dataclass(frozen=True, slots=True)
class Loop(Node):
    """DO WHILE c / DO UNTIL c ... LOOP, DO ... LOOP WHILE c / LOOP UNTIL c, WHILE c ... WEND,
    DO ... LOOP (``cond`` None: runs until EXIT). ``until`` inverts the condition; ``test_after``
    for the post-test forms."""

    cond: Expr | None
    until: bool
    test_after: bool
    body: Block


EXIT_KINDS = ("for", "do", "while", "loop", "sub", "function", "script")


@dataclass(frozen=True, slots=True)
class Exit(Node):
    """EXIT FOR / EXIT DO / EXIT WHILE, BREAK (``"loop"``: the innermost loop of any kind),
    EXIT SUB / EXIT FUNCTION, bare EXIT (``"script"``: ends the script)."""

    kind: str


@dataclass(frozen=True, slots=True)
class Case(Node):
    values: tuple[Expr, ...]
    body: Block


@dataclass(frozen=True, slots=True)
class SelectCase(Node):
    """SELECT CASE e ... CASE v[, v2] ... CASE ELSE ... END SELECT, and SWITCH ... DEFAULT."""

    subject: Expr
    cases: tuple[Case, ...]
    otherwise: Block | None = None


@dataclass(frozen=True, slots=True)
class Routine(Node):
    """SUB name(params) ... END SUB (``kind`` "sub") or FUNCTION ... END FUNCTION."""

    kind: str
    name: str
    params: tuple[str, ...]
    body: Block


@dataclass(frozen=True, slots=True)
class CallStmt(Node):
    """``CALL name(args)``, ``CALL name``, ``name(args)`` as a statement. With no SUB/FUNCTION
    of that name, the runtime runs ``name.bas`` of the same bot."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Return(Node):
    value: Expr | None = None


@dataclass(frozen=True, slots=True)
class OnError(Node):
    """ON ERROR RESUME NEXT (``mode`` "resume next"), ON ERROR GOTO 0 ("goto 0"),
    ON ERROR GOTO label ("goto", ``label``)."""

    mode: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Throw(Node):
    value: Expr


@dataclass(frozen=True, slots=True)
class Goto(Node):
    label: str


@dataclass(frozen=True, slots=True)
class Label(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Wait(Node):
    """``WAIT s`` and the statement ``DELAY s``: a durable sleep (fractions allowed)."""

    seconds: Expr
    keyword: str = "WAIT"


@dataclass(frozen=True, slots=True)
class Hear(Node):
    """HEAR v [AS TYPE | AS "a", "b", ...] [WITH "prompt"] [DEFAULT e]; ``v = HEAR ...``.

    ``type_name`` is the upper-case type (TEXT, INTEGER, EMAIL, ...) or None; a menu gives
    ``type_name`` "MENU" and the ``choices``. ``timeout`` (seconds) is the wait of
    ``WAIT FOR RESPONSE ... TIMEOUT s``: unanswered by then, the variable gets NULL."""

    target: Union[Name, Member, Index]
    type_name: str | None = None
    choices: tuple[Expr, ...] = ()
    prompt: Expr | None = None
    default: Expr | None = None
    timeout: Expr | None = None


@dataclass(frozen=True, slots=True)
class Param(Node):
    """PARAM name AS type [LIKE example] [DESCRIPTION "..."] [OPTIONAL] [DEFAULT e] [ENUM [...]]."""

    name: str
    type_name: str
    like: Expr | None = None
    description: Expr | None = None
    optional: bool = False
    default: Expr | None = None
    enum: tuple[Expr, ...] | None = None


@dataclass(frozen=True, slots=True)
class Description(Node):
    """A script-level ``DESCRIPTION "..."`` line (the tool's description)."""

    text: Expr


TEXT_BLOCK_KINDS = ("TALK", "SYSTEM PROMPT", "MAIL")


@dataclass(frozen=True, slots=True)
class TextBlock(Node):
    """BEGIN TALK ... END TALK, BEGIN SYSTEM PROMPT ... END SYSTEM PROMPT,
    BEGIN MAIL to ... END MAIL (``args`` = (to,)). ``text`` is the raw body (``${}`` already
    split into a Template; no comments are removed inside)."""

    kind: str
    args: tuple[Expr, ...]
    text: Union[Literal, Template]


@dataclass(frozen=True, slots=True)
class TableField(Node):
    name: str
    type_name: str
    length: tuple[int, ...] = ()
    key: bool = False
    references: str | None = None


@dataclass(frozen=True, slots=True)
class Table(Node):
    """TABLE name ... END TABLE (in tables.bas)."""

    name: str
    fields: tuple[TableField, ...]


@dataclass(frozen=True, slots=True)
class WithBlock(Node):
    """WITH v / key = e / .key = e / END WITH: sets members on the object in ``v`` (creating
    a new object when ``v`` does not hold one)."""

    target: Union[Name, Member, Index]
    items: tuple[tuple[str, Expr], ...]


Stmt = Union[
    Assign, ExprStmt, KeywordStmt, Unknown, If, ForEach, ForRange, Loop, Exit, SelectCase,
    Routine, CallStmt, Return, OnError, Throw, Goto, Label, Wait, Hear, Param, Description,
    TextBlock, Table, WithBlock, Orchestrate, EndWorkflow, BotCall, HumanApproval, Parallel,
    Step, OnEvent, PublishEvent,
]


@dataclass(frozen=True, slots=True)
class Program(Node):
    """A whole script. ``body`` keeps statements in source order (SUB/FUNCTION included)."""

    body: Block
    path: str = "<script>"
