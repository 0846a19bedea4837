"""Dialog statements: TALK, TALK TO, PRINT / LOG, HEAR (all forms), ADD SUGGESTION, and the
DIM / CONST declarations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import ast
from .parser_helpers import find_word, split_commas, split_words, stmt_pos, top_level
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser


def one_message(keyword: str) -> Callable:
    """``TALK a, b`` / ``PRINT a; b``: one value, the parts joined with a space."""

    def handler(p: Parser, toks: list[Token], used: int):
        rest = [Token("OP", ",", t.line, t.col, t.pos, t.end) if t.is_op(";") else t
                for t in toks[used:]]
        args = p.exprs(rest)
        if not args:
            raise p.error(f"{keyword} expects a message", toks[0])
        value = args[0]
        for more in args[1:]:
            space = ast.Literal(" ", line=more.line, col=more.col)
            value = ast.Binary("&", ast.Binary("&", value, space, line=value.line, col=value.col),
                               more, line=value.line, col=value.col)
        return ast.KeywordStmt(keyword, (value,), **stmt_pos(toks[0]))

    return handler


talk = one_message("TALK")


def declare(p: Parser, toks: list[Token], used: int):
    """``DIM a [AS type] [= e], b`` / ``CONST a = e``: assignments (NULL without a value)."""
    result = []
    for part in split_commas(toks[used:]):
        if part[0].kind != "WORD":
            raise p.error(f"expected a name after {toks[0].text.upper()}", part[0])
        eq = next((k for k, t in top_level(part) if t.is_op("=")), None)
        value = p.expr(part[eq + 1:], part[eq]) if eq is not None else \
            ast.Literal(None, **stmt_pos(part[0]))
        target = ast.Name(part[0].text, **stmt_pos(part[0]))
        result.append(ast.Assign(target, value, **stmt_pos(part[0])))
    return result


def talk_to(p: Parser, toks: list[Token], used: int):
    if len(toks) == used or toks[used].is_op("=", ".", "[", "+", "&"):
        return talk(p, toks, used - 1)  # "TALK to": a variable named "to"
    args = p.exprs(toks[used:])
    if len(args) == 1:
        args = (args[0], ast.Literal("", line=toks[0].line, col=toks[0].col))
    return ast.KeywordStmt("TALK TO", args, **stmt_pos(toks[0]))


HEAR_TYPES = {"TEXT", "STRING", "INTEGER", "NUMBER", "FLOAT", "MONEY", "BOOLEAN", "EMAIL", "DATE",
              "HOUR", "NAME", "MOBILE", "PHONE", "ZIPCODE", "URL", "UUID", "MENU", "FILE"}


def hear_parts(p: Parser, target, rest: list[Token], at: Token) -> ast.Hear:
    """The part after ``HEAR v`` / ``v = HEAR``: [AS type | AS choices] [WITH prompt] [DEFAULT e]."""
    head, clauses = split_words(rest, {"AS", "WITH", "DEFAULT"})
    if head:
        raise p.error(f"unexpected {head[0].text!r} after HEAR", head[0])
    type_name, choices = None, ()
    if "AS" in clauses:
        as_toks = clauses["AS"]
        if len(as_toks) == 1 and as_toks[0].kind == "WORD":
            type_name = as_toks[0].text.upper()
        elif len(as_toks) == 3 and as_toks[0].kind == "WORD" and as_toks[1].is_op("(") \
                and as_toks[2].is_op(")"):
            type_name = as_toks[0].text.upper()
        elif len(as_toks) > 2 and as_toks[-1].is_op("*") and as_toks[-2].is_op(","):
            type_name = "TEXT"  # HEAR x AS "done", *: any answer ("done" is one of them)
        else:
            choices = p.exprs(as_toks)
            if len(choices) == 1 and isinstance(choices[0], ast.ArrayLit):
                choices = choices[0].items
            if not choices:
                raise p.error("expected a type or choices after AS", at)
            type_name = "MENU"
    prompt = p.expr(clauses["WITH"], rest[0]) if "WITH" in clauses else None
    default = p.expr(clauses["DEFAULT"], rest[0]) if "DEFAULT" in clauses else None
    return ast.Hear(target, type_name, tuple(choices), prompt, default, **stmt_pos(at))


def hear(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    head, _ = split_words(rest, {"AS", "WITH", "DEFAULT"})
    if not head:
        raise p.error("expected a variable after HEAR", toks[used - 1])
    target = p.target(head)
    return hear_parts(p, target, rest[len(head):], toks[0])


def wait_for_response(p: Parser, toks: list[Token], used: int, target=None):
    """``WAIT FOR RESPONSE [AS v | INTO v] [TIMEOUT s]`` and ``v = WAIT FOR RESPONSE [TIMEOUT
    s]``: a HEAR of any answer into ``v`` (``response`` when no variable is named) that gives
    up after ``s`` seconds, leaving NULL."""
    head, clauses = split_words(toks[used:], {"AS", "INTO", "TIMEOUT"})
    if head:
        raise p.error(f"unexpected {head[0].text!r} after WAIT FOR RESPONSE: expected AS "
                      "variable or TIMEOUT seconds", head[0])
    named = clauses.get("AS", clauses.get("INTO"))
    if target is None:
        target = p.target(named, toks[used - 1]) if named is not None else \
            ast.Name("response", **stmt_pos(toks[0]))
    elif named is not None:
        raise p.error("WAIT FOR RESPONSE names its variable once", named[0] if named else toks[0])
    timeout = p.expr(clauses["TIMEOUT"], toks[0]) if "TIMEOUT" in clauses else None
    return ast.Hear(target, None, (), None, None, timeout, **stmt_pos(toks[0]))


def add_suggestion(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    k = find_word(rest, "AS")
    if k is not None:
        args = (p.expr(rest[:k], toks[used - 1]), p.expr(rest[k + 1:], rest[k]))
    else:
        args = p.exprs(rest)
    if not args:
        raise p.error("ADD SUGGESTION expects a label", toks[0])
    return ast.KeywordStmt("ADD SUGGESTION", tuple(args), **stmt_pos(toks[0]))
