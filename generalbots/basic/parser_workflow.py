"""Multi-agent statements (BASIC.md section 5): ORCHESTRATE WORKFLOW, STEP and its option
lines, BOT calls, HUMAN APPROVAL, PARALLEL / BRANCH, ON EVENT, PUBLISH EVENT, BOT SHARE /
SYNC MEMORY.

Option lines (``TIMEOUT s``, ``ON TIMEOUT: action``, ``DELAY s``, ``RETRY n``) right after a
STEP belong to the Step; right after a HUMAN APPROVAL that is not a step's action, to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast
from .host import FORM_EVENT_PREFIX
from .parser_expressions import event_name, match_words
from .parser_helpers import Open, assignment_split, split_words, stmt_pos
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser

OPTION_PHRASES = {("TIMEOUT",): "timeout", ("ON", "TIMEOUT"): "on timeout", ("DELAY",): "delay",
                  ("RETRY",): "retry"}


def name_value(p: Parser, toks: list[Token], after: Token) -> ast.Expr:
    """An event / workflow / bot name: a quoted string (any expression) or a bare name
    (letters, digits, ``_ . : -``) as a string Literal."""
    if not toks:
        raise p.error(f"expected a name after {after.text.upper()}",
                      (after.line, after.col + len(after.text)))
    if toks[0].kind != "STR":
        name, end = event_name(toks, 0)
        if name is not None and end == len(toks):
            return name
    return p.expr(toks, after)


def orchestrate(p: Parser, toks: list[Token], used: int):
    head, clauses = split_words(toks[used:], {"BUDGET"})
    budget = p.expr(clauses["BUDGET"], toks[0]) if "BUDGET" in clauses else None
    return ast.Orchestrate(name_value(p, head, toks[used - 1]), budget, **stmt_pos(toks[0]))


def end_workflow(p: Parser, toks: list[Token], used: int):
    return ast.EndWorkflow(**stmt_pos(toks[0]))


# --------------------------------------------------------------------------------------------
# Options


def timeout_action(p: Parser, toks: list[Token], at: Token) -> ast.TimeoutAction:
    if toks and toks[0].is_op(":"):
        toks = toks[1:]
    if not toks or toks[0].upper not in ("ESCALATE", "APPROVE", "REJECT", "CANCEL"):
        raise p.error("ON TIMEOUT expects ESCALATE TO who, APPROVE, REJECT or CANCEL",
                      toks[0] if toks else at)
    kind = toks[0].upper.lower()
    if kind == "escalate":
        rest = toks[1:]
        if rest and rest[0].is_word("TO"):
            rest = rest[1:]
        return ast.TimeoutAction(kind, p.expr(rest, toks[0]), **stmt_pos(toks[0]))
    return ast.TimeoutAction(kind, None, p.text(toks[1:]), **stmt_pos(toks[0]))


def option_line(p: Parser, toks: list[Token]) -> ast.StepOption | None:
    """The option of an option line, or None when the line is something else."""
    if toks[0].kind != "WORD" or assignment_split(toks) is not None:
        return None
    found = match_words(toks, 0, OPTION_PHRASES)
    if found is None:
        return None
    phrase, used = found
    kind = OPTION_PHRASES[phrase]
    rest = toks[used:]
    if kind == "on timeout":
        action = timeout_action(p, rest, toks[0])
        return ast.StepOption(kind, None, action, **stmt_pos(toks[0]))
    if rest and rest[0].is_op(":"):
        rest = rest[1:]
    return ast.StepOption(kind, p.expr(rest, toks[used - 1]), **stmt_pos(toks[0]))


def following_options(p: Parser) -> tuple[ast.StepOption, ...]:
    options = []
    while p.i < len(p.lines):
        option = option_line(p, p.lines[p.i].tokens)
        if option is None:
            break
        options.append(option)
        p.i += 1
    return tuple(options)


def inline_options(p: Parser, toks: list[Token]) -> tuple[list[Token], list[ast.StepOption]]:
    """``... TIMEOUT 900 RETRY 2`` at the end of a line: (the rest, the options)."""
    head, clauses = split_words(toks, {"TIMEOUT", "RETRY"})
    options = [ast.StepOption(word.lower(), p.expr(value, toks[0]), **stmt_pos(value[0] if value
                              else toks[0])) for word, value in clauses.items()]
    return head, options


# --------------------------------------------------------------------------------------------
# Steps and actions


def step(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if not rest or rest[0].kind not in ("NUM", "WORD"):
        raise p.error("expected a step number after STEP", toks[0])
    label = rest[0].text
    rest = rest[1:]
    if rest and rest[0].is_op(":"):
        rest = rest[1:]
    saved, p.in_step = p.in_step, True
    # options right under ``STEP n: PARALLEL`` come before its BRANCH lines, not after END PARALLEL
    options = list(following_options(p)) if len(rest) == 1 and rest[0].is_word("PARALLEL") else []
    try:
        body = list(p.statement(rest)) if rest else []
    finally:
        p.in_step = saved
    options += following_options(p)
    if body and isinstance(body[0], ast.HumanApproval) and body[0].options:
        approval = body[0]
        options = list(approval.options) + options
        body[0] = ast.HumanApproval(approval.approver, line=approval.line, col=approval.col)
    return ast.Step(label, tuple(body), tuple(options), **stmt_pos(toks[0]))


def bot_call(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if not rest:
        raise p.error("expected a bot name after BOT", toks[0])
    if rest[0].kind == "STR":
        bot, end = p.expr(rest[:1]), 1
    else:
        bot, end = event_name(rest, 0)
        if bot is None:
            raise p.error("expected a bot name after BOT", rest[0])
    action_toks = rest[end:]
    if action_toks and action_toks[0].is_op(","):
        action_toks = action_toks[1:]
    action = p.expr(action_toks, rest[end - 1]) if action_toks else None
    return ast.BotCall(bot, action, **stmt_pos(toks[0]))


def human_approval(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[0].is_word("FROM"):
        rest = rest[1:]
    head, options = inline_options(p, rest)
    approver = p.expr(head, toks[used - 1])
    if not p.in_step:
        options += list(following_options(p))
    return ast.HumanApproval(approver, tuple(options), **stmt_pos(toks[0]))


def stray_option(p: Parser, toks: list[Token], used: int):
    raise p.error(f"{' '.join(t.upper for t in toks[:used])} must follow a STEP or a "
                  "HUMAN APPROVAL line", toks[0])


def _branch_label(p: Parser, toks: list[Token], used: int) -> tuple[str, list[Token]]:
    rest = toks[used:]
    if not rest or rest[0].kind not in ("WORD", "NUM", "STR"):
        raise p.error("expected a branch name after BRANCH", toks[0])
    label = rest[0].text if rest[0].kind != "STR" else "".join(map(str, rest[0].value))
    rest = rest[1:]
    if rest and rest[0].is_op(":"):
        rest = rest[1:]
    return label, rest


def branch(p: Parser, toks: list[Token], used: int):
    label, rest = _branch_label(p, toks, used)
    if rest:
        return ast.Branch(label, tuple(p.statement(rest)), **stmt_pos(toks[0]))
    open_ = Open("BRANCH", "END BRANCH", frozenset({"END BRANCH", "BRANCH", "END PARALLEL"}),
                 toks[0].line)
    body, ll, closer, _ = p.parse_block(open_)
    if closer != "END BRANCH":
        p.i -= 1  # the next BRANCH / END PARALLEL belongs to the PARALLEL
    return ast.Branch(label, body, **stmt_pos(toks[0]))


def parallel(p: Parser, toks: list[Token], used: int):
    if len(toks) > used:
        raise p.error("PARALLEL takes nothing after it; put BRANCH lines below", toks[used])
    open_ = Open("PARALLEL", "END PARALLEL", frozenset({"END PARALLEL", "BRANCH"}), toks[0].line)
    branches: list[ast.Branch] = []
    loose: list[ast.Stmt] = []
    while True:
        body, ll, closer, n = p.parse_block(open_)
        loose.extend(body)
        if closer == "END PARALLEL":
            break
        branches.append(branch(p, ll.tokens, n))
    for k, stmt in enumerate(loose):  # statements outside BRANCH lines: one branch each
        branches.append(ast.Branch(str(len(branches) + 1), (stmt,), line=stmt.line, col=stmt.col))
    branches.sort(key=lambda b: (b.line, b.col))
    return ast.Parallel(tuple(branches), **stmt_pos(toks[0]))


def on_event(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[-1].is_word("DO"):
        rest = rest[:-1]
    name = name_value(p, rest, toks[used - 1])
    open_ = Open("ON EVENT", "END ON", frozenset({"END ON", "END EVENT"}), toks[0].line)
    body, _, _, _ = p.parse_block(open_)
    return ast.OnEvent(name, body, **stmt_pos(toks[0]))


def on_form_submit(p: Parser, toks: list[Token], used: int):
    """``ON FORM SUBMIT "name" ... END ON``: the handler of event ``form:name`` (what a post of
    that form publishes; the handler sees its ``fields`` and ``metadata``, see ``VM``)."""
    name = name_value(p, toks[used:], toks[used - 1])
    if isinstance(name, ast.Literal):
        event = ast.Literal(f"{FORM_EVENT_PREFIX}{name.value}", line=name.line, col=name.col)
    else:
        event = ast.Binary("&", ast.Literal(FORM_EVENT_PREFIX, line=name.line, col=name.col), name,
                           line=name.line, col=name.col)
    open_ = Open("ON FORM SUBMIT", "END ON", frozenset({"END ON"}), toks[0].line)
    body, _, _, _ = p.parse_block(open_)
    return ast.OnEvent(event, body, **stmt_pos(toks[0]))


def publish_event(p: Parser, toks: list[Token], used: int):
    head, clauses = split_words(toks[used:], {"WITH"})
    data = p.expr(clauses["WITH"], toks[0]) if "WITH" in clauses else None
    return ast.PublishEvent(name_value(p, head, toks[used - 1]), data, **stmt_pos(toks[0]))


def bot_share_memory(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    live = bool(rest) and rest[-1].is_word("LIVE")
    if live:
        rest = rest[:-1]
    head, clauses = split_words(rest, {"WITH", "TO"})
    target = clauses.get("WITH", clauses.get("TO"))
    if target is None:
        raise p.error("expected BOT SHARE MEMORY key WITH bot", toks[0])
    options = (("live", ast.Literal(True, **stmt_pos(toks[-1]))),) if live else ()
    args = (p.expr(head, toks[used - 1]), name_value(p, target, toks[0]))
    return ast.KeywordStmt("BOT SHARE MEMORY", args, options, **stmt_pos(toks[0]))


def bot_sync_memory(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[0].is_word("FROM"):
        rest = rest[1:]
    return ast.KeywordStmt("BOT SYNC MEMORY", (name_value(p, rest, toks[used - 1]),),
                           **stmt_pos(toks[0]))
