"""Statement dispatch, assignments, calls, the Unknown fallback and the generic keyword-statement
forms (``KEYWORD a, b``, ``KEYWORD a AS b``). Families live in their own modules: dialog
(``parser_dialog``), data (``parser_data``), blocks (``parser_blocks``), tools and raw blocks
(``parser_tools``), multi-agent (``parser_workflow``); ``parser_tables`` maps phrases to them.

Every handler takes ``(parser, tokens, used)`` where ``tokens[:used]`` are the keyword words,
and returns a statement or a list of statements.
"""

from __future__ import annotations

from typing import Callable

from . import ast
from .errors import BasicSyntaxError
from .lexer import Token
from .parser import Parser, assignment_split
from .parser_expressions import KEYWORD_HEADS, match_words

# KeywordExpr keywords that are statements of their own when they start a line.
STATEMENT_KEYWORDS = {"POST", "PUT", "PATCH", "DELETE", "UPLOAD", "DOWNLOAD", "DELEGATE"}
OPEN = {"(", "[", "{", "#{"}
CLOSE = {")", "]", "}"}


def top_level(toks: list[Token]):
    """Yield ``(index, token)`` for tokens outside brackets (and not after ``.``)."""
    depth = 0
    for k, t in enumerate(toks):
        if t.kind == "OP" and t.text in OPEN:
            depth += 1
        elif t.kind == "OP" and t.text in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and not (k and toks[k - 1].is_op(".", "?.")):
            yield k, t


def find_word(toks: list[Token], *words: str) -> int | None:
    for k, t in top_level(toks):
        if t.kind == "WORD" and t.upper in words:
            return k
    return None


def split_words(toks: list[Token], words: set[str]) -> tuple[list[Token], dict[str, list[Token]]]:
    """Split at top-level clause words: the head, and each clause's tokens by word."""
    cuts = [(k, t.upper) for k, t in top_level(toks) if t.kind == "WORD" and t.upper in words]
    head = toks[:cuts[0][0]] if cuts else toks
    clauses: dict[str, list[Token]] = {}
    for n, (k, word) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else len(toks)
        clauses.setdefault(word, toks[k + 1:end])
    return head, clauses


def stmt_pos(tok: Token) -> dict:
    return {"line": tok.line, "col": tok.col}


# --------------------------------------------------------------------------------------------
# Generic forms


def keyword_args(keyword: str, *, required: bool = True, separators: tuple[str, ...] = (),
                 each: bool = False) -> Callable:
    """``KEYWORD a, b ...``; ``separators`` are words read as commas (``AS``, ``TO``);
    ``each`` makes one statement per argument (``USE TOOL "a", "b"``)."""

    def handler(p: Parser, toks: list[Token], used: int):
        rest = toks[used:]
        if separators:
            rest = [Token("OP", ",", t.line, t.col, t.pos, t.end)
                    if k in dict(top_level(rest)) and t.upper in separators else t
                    for k, t in enumerate(rest)]
        args = p.exprs(rest)
        if required and not args:
            raise p.error(f"{keyword} expects a value", (toks[used - 1].line,
                          toks[used - 1].col + len(toks[used - 1].text)))
        if each and len(args) > 1:
            return [ast.KeywordStmt(keyword, (a,), line=a.line, col=a.col) for a in args]
        return ast.KeywordStmt(keyword, args, **stmt_pos(toks[0]))

    return handler


def _case_style(word: str) -> str:
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    return "title" if word[:1].isupper() else "mixed"


def expression_statement(p: Parser, toks: list[Token], used: int = 0):
    """A keyword expression on its own line: ``GET url``, ``POST url, body``, ``LLM "..."``."""
    node = p.expr(toks)
    if isinstance(node, ast.KeywordExpr) and node.keyword in STATEMENT_KEYWORDS:
        return ast.KeywordStmt(node.keyword, node.args, node.options, line=node.line, col=node.col)
    return ast.ExprStmt(node, line=node.line, col=node.col)


def unknown(p: Parser, toks: list[Token], keyword_toks: list[Token] | None = None) -> ast.Unknown:
    """An unsupported statement; the keyword is the leading words of ``keyword_toks``."""
    words: list[str] = []
    kt = toks if keyword_toks is None else keyword_toks
    for k, t in enumerate(kt[:3]):
        nxt = kt[k + 1] if k + 1 < len(kt) else None
        if t.kind != "WORD" or (words and (_case_style(t.text) != _case_style(kt[0].text) or (
                nxt is not None and nxt.is_op("(", ".", "=", "[")))):
            break  # "DEBUG total": the keyword is DEBUG; "SEND SMS x": SEND SMS
        words.extend(w for w in t.text.upper().split("_") if w)
    keyword = " ".join(words[:3]) or kt[0].text
    return ast.Unknown(keyword, p.text(toks), **stmt_pos(toks[0]))


def pair_with_as(keyword: str, min_args: int = 2) -> Callable:
    """``KEYWORD a, b`` or ``KEYWORD a AS b`` (SET BOT MEMORY, SET CONTEXT, SET HEADER ...)."""

    def handler(p: Parser, toks: list[Token], used: int):
        rest = toks[used:]
        k = find_word(rest, "AS")
        if k is not None:
            args = (p.expr(rest[:k], toks[used - 1]), *p.exprs(rest[k + 1:]))
            if len(args) < 2:
                raise p.error(f"expected a value after AS", rest[k])
        else:
            args = p.exprs(rest)
        if len(args) < min_args:
            raise p.error(f"{keyword} expects {'a key and a value' if min_args == 2 else 'a value'}",
                          toks[0])
        return ast.KeywordStmt(keyword, tuple(args), **stmt_pos(toks[0]))

    return handler


def set_stmt(p: Parser, toks: list[Token], used: int):
    """``SET "session.k", v`` (SET SESSION); other ``SET X ...`` forms are unknown."""
    if len(toks) > 1 and toks[1].kind == "STR":
        stmt = pair_with_as("SET SESSION")(p, toks, used)
        if len(stmt.args) == 2:
            return stmt
    return unknown(p, toks)  # SET "sheet.xlsx", cell, value / SET PAGE MODE ...: not here


def split_commas(toks: list[Token]) -> list[list[Token]]:
    parts, start = [], 0
    for k, t in top_level(toks):
        if t.is_op(","):
            parts.append(toks[start:k])
            start = k + 1
    parts.append(toks[start:])
    return [part for part in parts if part]


# --------------------------------------------------------------------------------------------
# Assignment, calls and the fallback


def assignment(p: Parser, toks: list[Token], eq: int):
    start = 1 if toks[0].is_word("LET", "SET") and eq > 1 else 0
    target = p.target(toks[start:eq])
    value_toks = toks[eq + 1:]
    op = toks[eq].text
    if op == "=" and value_toks and value_toks[0].is_word("HEAR"):
        from .parser_dialog import hear_parts
        return hear_parts(p, target, value_toks[1:], toks[0])
    try:
        value = p.expr(value_toks, toks[eq])
    except BasicSyntaxError:
        if juxtaposed_unknown(value_toks):
            return unknown(p, toks, value_toks)
        raise
    if op != "=":
        value = ast.Binary({"+=": "+", "-=": "-", "*=": "*", "/=": "/", "&=": "&"}[op], target,
                           value, line=target.line, col=target.col)
    return ast.Assign(target, value, **stmt_pos(toks[0]))


def juxtaposed_unknown(toks: list[Token]) -> bool:
    """``x = CHART "pie", d`` / ``x = SELECT a FROM b``: an unknown keyword expression."""
    if len(toks) < 2 or toks[0].kind != "WORD" or toks[0].upper in ("NOT", "NEW", "TRUE",
                                                                     "FALSE", "NULL"):
        return False
    if toks[0].upper == "CALL" and toks[1].kind == "STR":
        return True  # x = CALL "/crm/customers/get", id: a platform API call
    head = match_words(toks, 0, KEYWORD_HEADS)
    if head is not None:  # x = GET IMAGE "prompt": an unknown keyword that starts like GET
        return extra_keyword_word(toks, head[1])
    nxt = toks[1]
    return nxt.kind in ("WORD", "STR", "NUM") or nxt.is_op("#{", "{", "[")


def extra_keyword_word(toks: list[Token], used: int) -> bool:
    """``POST TO INSTAGRAM u, p`` / ``GET IMAGE x``: after a known keyword comes another
    keyword-looking word (same letter case) and then a value: an unsupported keyword."""
    if used + 1 >= len(toks) or toks[used].kind != "WORD":
        return False
    word, nxt = toks[used], toks[used + 1]
    if _case_style(word.text) != _case_style(toks[0].text) or word.upper in ("AND", "OR", "NOT"):
        return False
    return nxt.kind in ("WORD", "STR", "NUM") or nxt.is_op("{", "#{", "[")


def fallback(p: Parser, toks: list[Token]):
    """Calls (``name(args)``, ``obj.m(args)``, a SUB called without parens); else Unknown."""
    first = toks[0]
    if first.kind == "WORD" and first.text.lower() in p.routines:
        rest = toks[1:]
        if rest and rest[0].is_op("(") and rest[-1].is_op(")") and balanced(rest[1:-1]):
            rest = rest[1:-1]
        return ast.CallStmt(first.text, p.exprs(rest), **stmt_pos(first))
    try:
        node = p.expr(toks)
    except BasicSyntaxError:
        attempt = first.kind == "WORD" and len(toks) > 1 and toks[1].is_op("(", ".", "?.", "[")
        if first.kind == "STR" or first.is_op("(", "[", "{", "#{") or attempt or (
                first.kind == "WORD" and match_words(toks, 0, KEYWORD_HEADS) is not None):
            raise
        return unknown(p, toks)
    if isinstance(node, ast.Call):
        return ast.CallStmt(node.name, node.args, line=node.line, col=node.col)
    if isinstance(node, ast.KeywordExpr) and node.keyword in STATEMENT_KEYWORDS:
        return ast.KeywordStmt(node.keyword, node.args, node.options, line=node.line, col=node.col)
    if first.kind == "WORD" and not isinstance(node, (ast.MethodCall, ast.KeywordExpr,
                                                     ast.WaitForEvent)):
        return unknown(p, toks)
    return ast.ExprStmt(node, line=node.line, col=node.col)


def balanced(toks: list[Token]) -> bool:
    depth = 0
    for t in toks:
        if t.kind == "OP" and t.text in OPEN:
            depth += 1
        elif t.kind == "OP" and t.text in CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def label_stmt(p: Parser, toks: list[Token]) -> list[ast.Stmt]:
    label = ast.Label(toks[0].text, **stmt_pos(toks[0]))
    return [label, *p.statement(toks[2:] if toks[1].is_op(":") else toks[1:])]


# statements whose syntax errors are never read as an unknown keyword (FOR EACH x ...)
STRUCTURE_WORDS = {"IF", "FOR", "DO", "WHILE", "SELECT", "SWITCH", "SUB", "FUNCTION", "WITH",
                   "EXIT", "BREAK", "END", "RETURN", "ON", "THROW", "GOTO", "WAIT", "DELAY",
                   "CALL", "HEAR", "PARAM", "DESCRIPTION", "STEP", "BOT", "HUMAN", "PARALLEL",
                   "BRANCH", "ORCHESTRATE", "PUBLISH", "TIMEOUT", "RETRY", "DIM", "CONST"}
NOT_LABELS = {"STEP", "BRANCH", "ON", "ELSE", "CASE", "DEFAULT", "HUMAN", "BOT"}


def dispatch(p: Parser, toks: list[Token]) -> list[ast.Stmt]:
    """One statement (or a label plus one) from ``toks``."""
    from .parser_tables import STATEMENTS

    first = toks[0]
    if first.kind == "RAW":
        from .parser_tools import raw_block
        return [raw_block(p, first)]
    eq = assignment_split(toks)
    if eq is not None:
        return [assignment(p, toks, eq)]
    if first.kind == "WORD" and len(toks) > 1 and toks[1].is_op(":") \
            and first.upper not in NOT_LABELS:
        return label_stmt(p, toks)
    if first.kind == "NUM" and isinstance(first.value, int) and len(toks) > 1 \
            and toks[1].kind == "WORD":
        return label_stmt(p, toks)  # classic line numbers: "10 PRINT x"
    if first.kind == "WORD":
        found = match_words(toks, 0, STATEMENTS)
        if found is not None:
            phrase, used = found
            saved = p.i
            try:
                result = STATEMENTS[phrase](p, toks, used)
            except BasicSyntaxError:
                if p.i != saved or phrase[0] in STRUCTURE_WORDS or \
                        not extra_keyword_word(toks, used):
                    raise
                return [unknown(p, toks)]
            return result if isinstance(result, list) else [result]
    return [fallback(p, toks)]
