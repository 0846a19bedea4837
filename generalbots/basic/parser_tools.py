"""Tool headers (PARAM, DESCRIPTION) and raw blocks (BEGIN TALK / SYSTEM PROMPT / MAIL,
TABLE ... END TABLE).

Real tool scripts sometimes write the LIKE example or the DESCRIPTION as bare prose
(``DESCRIPTION Called when the sale is finished.``): a clause that is not one expression is
kept as its source text (a string Literal); prose lines right after a bare DESCRIPTION are
part of it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import ast
from .errors import BasicSyntaxError
from .lexer import tokenize_fragment
from .parser_expressions import string_node
from .parser_helpers import split_words, stmt_pos
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser

PARAM_CLAUSES = {"LIKE", "DESCRIPTION", "OPTIONAL", "REQUIRED", "DEFAULT", "ENUM", "EXAMPLE"}
SQL_TYPES = {"STRING", "TEXT", "VARCHAR", "CHAR", "INTEGER", "INT", "BIGINT", "SMALLINT", "NUMBER",
             "NUMERIC", "DECIMAL", "DOUBLE", "FLOAT", "REAL", "MONEY", "CURRENCY", "BOOLEAN",
             "BOOL", "DATE", "DATETIME", "TIMESTAMP", "TIME", "HOUR", "GUID", "UUID", "JSON",
             "OBJECT", "ARRAY", "BLOB", "BINARY", "EMAIL", "URL", "PHONE", "SERIAL", "AUTO"}


def loose_value(p: Parser, toks: list[Token], after: Token) -> ast.Expr:
    """One expression, or — when the tokens are not one — their source text as a string."""
    while toks and toks[-1].is_op(","):
        toks = toks[:-1]  # PARAM x AS string LIKE "a", DESCRIPTION "b"
    if not toks:
        raise p.error(f"expected a value after {after.text.upper()}",
                      (after.line, after.col + len(after.text)))
    try:
        return p.expr(toks)
    except BasicSyntaxError:
        return ast.Literal(p.text(toks), **stmt_pos(toks[0]))


def param(p: Parser, toks: list[Token], used: int):
    """``PARAM name [AS type] [clauses]``. The first word is always the name, even a clause
    word or builtin (``PARAM description AS STRING``); a type written as text
    (``PARAM x AS "the customer's city"``) means STRING with that text as the description."""
    rest = toks[used:]
    if not rest or rest[0].kind != "WORD":
        raise p.error("expected a parameter name after PARAM", toks[0])
    more, clauses = split_words(rest[1:], PARAM_CLAUSES)
    head = [rest[0], *more]
    name = head[0].text
    type_name = "STRING"
    free_text = None
    if len(head) > 1:
        if not head[1].is_word("AS") or len(head) < 3 or head[2].kind not in ("WORD", "STR"):
            raise p.error(f"expected 'PARAM {name} AS type'", head[1])
        if head[2].kind == "STR":
            free_text = string_node(head[2].value, head[2].line, head[2].col)
        else:
            type_name = head[2].text.upper()
    like = loose_value(p, clauses["LIKE"], rest[0]) if "LIKE" in clauses else None
    if like is None and "EXAMPLE" in clauses:
        like = loose_value(p, clauses["EXAMPLE"], rest[0])
    description = None
    if "DESCRIPTION" in clauses:
        description = loose_value(p, clauses["DESCRIPTION"], rest[0])
    elif free_text is not None:
        description = free_text
    default = loose_value(p, clauses["DEFAULT"], rest[0]) if "DEFAULT" in clauses else None
    enum = None
    if "ENUM" in clauses:
        values = p.exprs(clauses["ENUM"])
        if len(values) == 1 and isinstance(values[0], ast.ArrayLit):
            values = values[0].items
        enum = tuple(values)
    optional = "OPTIONAL" in clauses
    return ast.Param(name, type_name, like, description, optional, default, enum,
                     **stmt_pos(toks[0]))


def description(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    text = loose_value(p, rest, toks[0])
    if rest and rest[0].kind != "STR" and isinstance(text, ast.Literal):
        pieces = [str(text.value)]
        while p.i < len(p.lines) and p.is_unknown_line(p.i):
            pieces.append(p.text(p.lines[p.i].tokens))
            p.i += 1
        text = ast.Literal(" ".join(pieces), line=text.line, col=text.col)
    return ast.Description(text, **stmt_pos(toks[0]))


# --------------------------------------------------------------------------------------------
# Raw blocks


def raw_block(p: Parser, tok: Token):
    block = tok.value
    if block.kind == "TABLE":
        return table(p, tok)
    args: tuple = ()
    if block.kind == "MAIL":
        args = p.exprs(block.header)
        if not args:
            raise p.error("BEGIN MAIL expects the recipient", tok)
    text = string_node(block.body, block.body_line, 1, prose=True)
    return ast.TextBlock(block.kind, args, text, **stmt_pos(tok))


def table(p: Parser, tok: Token) -> ast.Table:
    block = tok.value
    header = block.header
    if not header or header[0].kind not in ("WORD", "STR"):
        raise p.error("expected a table name after TABLE", tok)
    name = header[0].text if header[0].kind == "WORD" else "".join(header[0].value)
    fields = []
    for line_no, col, text in sql_lines(block.lines):
        if _SQL_CONSTRAINT.match(text):
            continue  # UNIQUE(a, b), PRIMARY KEY (a), CHECK (...): the database's business
        text = _SQL_TAIL.sub("", text)
        try:
            toks = tokenize_fragment(text, line_no, col)
        except BasicSyntaxError as exc:
            raise p._with_source(exc) from None
        if toks:
            fields.append(table_field(p, toks))
    return ast.Table(name, tuple(fields), **stmt_pos(tok))


# SQL written in TABLE blocks: table constraints are skipped, and a column's GENERATED / CHECK /
# DEFAULT / COLLATE tail (which may hold expressions and quotes) is dropped before tokenizing.
_SQL_CONSTRAINT = re.compile(r"\s*(?:(?:UNIQUE|CHECK|INDEX|KEY)\s*\(|(?:PRIMARY|FOREIGN)\s+KEY\b|"
                             r"CONSTRAINT\s)", re.IGNORECASE)
_SQL_TAIL = re.compile(r"\s(?:GENERATED|CHECK|DEFAULT|COLLATE)\b.*$", re.IGNORECASE | re.DOTALL)


def sql_lines(lines):
    """``(line, col, text)`` of a TABLE block, a line that leaves a ``(`` open or starts with
    ``(`` joined to the one before (``GENERATED ALWAYS AS (a ||`` / ``b) STORED``)."""
    out: list[list] = []
    for line_no, col, text in lines:
        if out and (out[-1][3] > 0 or text.lstrip().startswith("(")):
            out[-1][2] += " " + text
            out[-1][3] = _open_parens(out[-1][2])
        else:
            out.append([line_no, col, text, _open_parens(text)])
    return [(line_no, col, text) for line_no, col, text, _ in out]


def _open_parens(text: str) -> int:
    depth, quote = 0, None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
    return depth


def table_field(p: Parser, toks: list[Token]) -> ast.TableField:
    """``name [AS] type[(len[, scale])] [KEY] [REFERENCES other] ...`` (extra words ignored)."""
    if toks[0].kind != "WORD":
        raise p.error("expected 'name AS type' in TABLE", toks[0])
    name, k = toks[0].text, 1
    while k < len(toks) and toks[k].is_op("*"):
        k += 1  # "UnitPrice* double"
    if k < len(toks) and toks[k].is_word("AS"):
        k += 1
    if k >= len(toks) or toks[k].kind != "WORD":
        raise p.error(f"expected a type for field {name}", toks[min(k, len(toks) - 1)])
    type_word = toks[k].text
    k += 1
    length: list[int] = []
    if k < len(toks) and toks[k].is_op("("):
        k += 1
        while k < len(toks) and not toks[k].is_op(")"):
            if toks[k].kind == "NUM":
                length.append(int(toks[k].value))
            k += 1
        k += 1
    words = [t.upper for t in toks[k:] if t.kind == "WORD"]
    key = "KEY" in words
    references = None
    if "REFERENCES" in words:
        at = next(i for i, t in enumerate(toks) if t.is_word("REFERENCES"))
        if at + 1 < len(toks):
            references = toks[at + 1].text
    if references is None and type_word.upper() not in SQL_TYPES:
        references = type_word  # "CustomerId Customers": a reference to another table
    return ast.TableField(name, type_word.upper(), tuple(length), key, references,
                          **stmt_pos(toks[0]))
