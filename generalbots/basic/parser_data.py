"""Data statements: INSERT (also INSERT INTO t VALUES row), UPDATE (also UPDATE t SET ... WHERE
...), DELETE (also DELETE FROM t WHERE ...), MERGE (also MERGE t WITH rows BY key), ADD BOT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast
from .parser_forms import as_pairs, expression_statement, keyword_args
from .parser_helpers import split_commas, split_words, stmt_pos, top_level
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser


def insert(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[0].is_word("INTO"):
        head, clauses = split_words(rest[1:], {"VALUES"})
        if "VALUES" not in clauses:
            raise p.error("expected VALUES after INSERT INTO table", toks[0])
        args = (p.expr(head, rest[0]), p.expr(clauses["VALUES"], rest[0]))
        return ast.KeywordStmt("INSERT", args, **stmt_pos(toks[0]))
    return keyword_args("INSERT")(p, toks, used)


def update(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    head, clauses = split_words(rest, {"SET", "WHERE", "WITH"})
    if "WITH" in clauses and "SET" not in clauses and len(head) == 1:
        # UPDATE "t" WITH a AS x, b AS y WHERE id = v (as SAVE ... WITH)
        options = [("set", as_pairs(p, clauses["WITH"]))]
        if "WHERE" in clauses:
            options.append(("where", p.expr(clauses["WHERE"], toks[0])))
        return ast.KeywordStmt("UPDATE", (p.expr(head, toks[0]),), tuple(options),
                               **stmt_pos(toks[0]))
    if "SET" not in clauses:
        return keyword_args("UPDATE")(p, toks, used)
    items = []
    for part in split_commas(clauses["SET"]):
        eq = next((k for k, t in top_level(part) if t.is_op("=")), None)
        if eq is None or eq != 1 or part[0].kind != "WORD":
            raise p.error("UPDATE ... SET expects field = value", part[0] if part else toks[0])
        items.append((part[0].text, p.expr(part[2:], part[1])))
    options = [("set", ast.ObjectLit(tuple(items), **stmt_pos(rest[len(head)])))]
    if "WHERE" in clauses:
        options.append(("where", p.expr(clauses["WHERE"], toks[0])))
    return ast.KeywordStmt("UPDATE", (p.expr(head, toks[0]),), tuple(options), **stmt_pos(toks[0]))


def delete(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[0].is_word("FROM"):
        head, clauses = split_words(rest[1:], {"WHERE"})
        options = (("where", p.expr(clauses["WHERE"], rest[0])),) if "WHERE" in clauses else ()
        return ast.KeywordStmt("DELETE", (p.expr(head, rest[0]),), options, **stmt_pos(toks[0]))
    return expression_statement(p, toks)


def merge(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    head, clauses = split_words(rest, {"WITH", "BY"})
    if "WITH" in clauses:
        args = [p.expr(head, toks[0]), p.expr(clauses["WITH"], toks[0])]
        if "BY" in clauses:
            args.append(p.expr(clauses["BY"], toks[0]))
        return ast.KeywordStmt("MERGE", tuple(args), **stmt_pos(toks[0]))
    return keyword_args("MERGE")(p, toks, used)


def add_bot(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    head, clauses = split_words(rest, {"WITH"})
    options = []
    if "WITH" in clauses:
        opt = clauses["WITH"]
        if not opt or opt[0].kind != "WORD":
            raise p.error("expected WITH TRIGGER \"words\"", toks[0])
        options.append((opt[0].text.lower(), p.expr(opt[1:], opt[0])))
    return ast.KeywordStmt("ADD BOT", (p.expr(head, toks[used - 1]),), tuple(options),
                           **stmt_pos(toks[0]))
