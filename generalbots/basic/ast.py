"""The abstract syntax tree of General Bots BASIC.

This module is the contract between the parser (which builds these nodes) and the compiler
(which turns them into a resumable program). Nodes are frozen, slotted dataclasses; every node
carries the 1-based ``line`` and ``col`` where it starts. Tuples, never lists, hold children so
that trees are hashable and immutable.

Conventions the parser guarantees:

* Names keep the spelling of the source (``userName``); the compiler folds case.
* Keywords are canonical: upper case, words separated by one space, underscores read as spaces
  (``SET_BOT_MEMORY`` -> ``"SET BOT MEMORY"``, ``add tool`` -> ``"ADD TOOL"``).
* Binary operators are canonical: ``==`` -> ``"="``, ``!=`` -> ``"<>"``, ``%`` -> ``"mod"``,
  ``&&`` -> ``"and"``, ``||`` -> ``"or"``, ``!x`` -> ``Unary("not", x)``. See ``BINARY_OPS``.
* ``x AS y`` argument forms are flattened into positional arguments
  (``SET BOT MEMORY k AS v`` == ``SET BOT MEMORY k, v``); see ``KEYWORD_FORMS``.
* Unquoted event names (``ON EVENT refund_failed DO``) become string ``Literal`` nodes.
* Keyword expressions that are really builtin calls become ``Call`` nodes
  (``FORMAT x AS "mask"`` -> ``Call("FORMAT", (x, mask))``, ``FIRST e`` -> ``Call("FIRST", (e,))``).
* ``x = HEAR ...`` becomes ``Hear(target=Name("x"), ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# --------------------------------------------------------------------------------------------
# Base


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    line: int
    col: int = 0


# --------------------------------------------------------------------------------------------
# Expressions


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
    "=", "<>", "<", ">", "<=", ">=", "contains", "like",
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

Block = tuple["Stmt", ...]

# --------------------------------------------------------------------------------------------
# Plain statements


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
    ``type_name`` "MENU" and the ``choices``."""

    target: Union[Name, Member, Index]
    type_name: str | None = None
    choices: tuple[Expr, ...] = ()
    prompt: Expr | None = None
    default: Expr | None = None


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


# --------------------------------------------------------------------------------------------
# Multi-agent statements (BASIC.md section 5)


@dataclass(frozen=True, slots=True)
class Orchestrate(Node):
    """ORCHESTRATE WORKFLOW name [BUDGET dollars]."""

    name: Expr
    budget: Expr | None = None


@dataclass(frozen=True, slots=True)
class EndWorkflow(Node):
    pass


TIMEOUT_ACTIONS = ("escalate", "approve", "reject", "cancel")


@dataclass(frozen=True, slots=True)
class TimeoutAction(Node):
    """ON TIMEOUT: ESCALATE TO who | APPROVE [note] | REJECT [note] | CANCEL. ``note`` keeps the
    trailing words as written (``REJECT ORDER`` -> note "ORDER")."""

    kind: str
    target: Expr | None = None
    note: str = ""


STEP_OPTION_KINDS = ("timeout", "on timeout", "delay", "retry")


@dataclass(frozen=True, slots=True)
class StepOption(Node):
    """An option line under a STEP (or a bare HUMAN APPROVAL): TIMEOUT s, ON TIMEOUT: action,
    DELAY s, RETRY n. ``value`` is set for timeout/delay/retry, ``action`` for on timeout."""

    kind: str
    value: Expr | None = None
    action: TimeoutAction | None = None


@dataclass(frozen=True, slots=True)
class BotCall(Node):
    """``BOT "name" "action"`` (also with a comma between the two)."""

    bot: Expr
    action: Expr | None = None


@dataclass(frozen=True, slots=True)
class HumanApproval(Node):
    """HUMAN APPROVAL FROM who; ``options`` are the option lines right after it when it is
    not the action of a STEP (inside a STEP they belong to the Step)."""

    approver: Expr
    options: tuple[StepOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Branch(Node):
    """BRANCH X: statement, or BRANCH X ... END BRANCH."""

    label: str
    body: Block


@dataclass(frozen=True, slots=True)
class Parallel(Node):
    branches: tuple[Branch, ...]


@dataclass(frozen=True, slots=True)
class Step(Node):
    """STEP n: action, followed by its option lines. ``label`` is the step number as written
    ("1", "2"); numbers may repeat. ``body`` is the action (usually one statement: BotCall,
    HumanApproval, Parallel, or any other statement)."""

    label: str
    body: Block
    options: tuple[StepOption, ...] = ()


@dataclass(frozen=True, slots=True)
class OnEvent(Node):
    """ON EVENT name DO ... END ON: a handler owned by the run."""

    name: Expr
    body: Block


@dataclass(frozen=True, slots=True)
class PublishEvent(Node):
    """PUBLISH EVENT name [WITH data]."""

    name: Expr
    data: Expr | None = None


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


# --------------------------------------------------------------------------------------------
# Keyword forms: the canonical ``(args, options)`` shape of every KeywordStmt / KeywordExpr.
# The parser produces exactly these shapes; the compiler maps each keyword to a host method or
# a builtin. ``[x]`` is optional; ``...`` repeats. A keyword not listed here that the parser
# nevertheless recognises must be added here by whoever adds it.
# A line that starts with an "expr"-only keyword (``GET url``, ``LLM "x"``) is
# ``ExprStmt(KeywordExpr)``; an "expr or stmt" keyword at the start of a line is a KeywordStmt.
# ``TALK a, b`` / ``PRINT a; b`` give one argument: the parts joined with ``&`` and a space.

KEYWORD_FORMS: dict[str, str] = {
    # dialog
    "TALK": "args=(text,)",
    "TALK TO": "args=(who, text)  # 'TALK TO who' alone gives text Literal('')",
    "ADD SUGGESTION": "args=(label,) | (context, label)  # ADD SUGGESTION ctx AS label",
    "CLEAR SUGGESTIONS": "args=()",
    "PRINT": "args=(value,)",
    "LOG": "args=(value,)",
    # tools, LLM and context
    "USE TOOL": "args=(name,)",
    "ADD TOOL": "args=(name,)",
    "CLEAR TOOLS": "args=()",
    "USE KB": "args=(name,)",
    "ADD KB": "args=(name,)  # the same as USE KB",
    "CLEAR KB": "args=([name],)",
    "KB STATISTICS": "expr; args=()",
    "USE WEBSITE": "args=(url[, refresh])  # USE WEBSITE url REFRESH \"1d\"",
    "USE MODEL": "args=(alias,)",
    "SET CONTEXT": "args=(text,) | (name, text)  # SET CONTEXT name AS text",
    "LLM": "expr; args=(prompt,); options: 'optimize for', 'max_cost', 'max_latency', 'task'"
           "  # any other WITH word passes through lower-cased ('temperature')",
    "REWRITE": "expr; args=(text,)",
    "DELEGATE": "expr or stmt; args=(message, bot); options: 'timeout'  # DELEGATE m TO BOT b",
    "ADD BOT": "args=(bot,); options: 'trigger'",
    # memory
    "SET BOT MEMORY": "args=(key, value)",
    "GET BOT MEMORY": "expr; args=(key,)",
    "SET USER MEMORY": "args=(key, value)",
    "GET USER MEMORY": "expr; args=(key,)",
    "REMEMBER": "args=(key, value[, duration])",
    "RECALL": "expr; args=(key_or_question,)",
    "SET SESSION": "args=(key, value)  # SET \"session.k\", v (key keeps the 'session.' prefix)",
    "BOT SHARE MEMORY": "args=(key, bot); options: 'live' (Literal True when LIVE)",
    "BOT SYNC MEMORY": "args=(bot,)  # BOT SYNC MEMORY FROM bot",
    # data
    "FIND": "expr; args=(table[, filter]); options: 'where' (an Expr for FIND t WHERE a = b)",
    "SAVE": "args=(table, value, ...)",
    "INSERT": "args=(table, row)  # also INSERT INTO t VALUES row",
    "UPDATE": "args=(table, filter, row) | (table,) with options 'set' (ObjectLit), 'where'",
    "DELETE": "expr or stmt; args=(url_or_table[, filter]); options: 'where' (DELETE FROM t WHERE e)",
    "MERGE": "args=(table, rows[, key])",
    "APPEND": "args=(list, item)",
    "AGGREGATE": "expr; args=(...)",
    "GROUP BY": "expr; args=(list, field)",
    # HTTP and files
    "GET": "expr; args=(url_or_session_key,)",
    "POST": "expr or stmt; args=(url, body)",
    "PUT": "expr or stmt; args=(url, body)",
    "PATCH": "expr or stmt; args=(url, body)",
    "SET HEADER": "args=(name, value)",
    "CLEAR HEADERS": "args=()",
    "READ": "expr; args=(path,)",
    "WRITE": "args=(path, data)",
    "COPY": "args=(source, destination)",
    "MOVE": "args=(source, destination)",
    "DELETE FILE": "args=(path,)",
    "LIST": "expr; args=(path,)",
    "UPLOAD": "expr or stmt; args=(path[, data])",
    "DOWNLOAD": "expr or stmt; args=(url[, path])",
    # messaging and automation
    "SEND MAIL": "args=(to, subject, body)",
    "SEND EMAIL": "args=(to, body) | (to, subject, body)",
    "SEND FILE": "args=(path[, caption])",
    "CREATE TASK": "args=(...)",
    "SET SCHEDULE": "args=(spec,)",
    "WEBHOOK": "args=(name,)",
}
