"""The generic keyword-statement forms (``KEYWORD a, b``, ``KEYWORD a AS b``, a keyword
expression standing as a statement) and the ``ast.Unknown`` statement with the tests that tell an
unsupported keyword from a syntax error.

Shared by the statement table (``parser_tables``), the families that fall back to a generic form
(``INSERT`` without ``INTO``) and the dispatch in ``parser``; it imports no family and the parser
only for type checking (the contract in ``.importlinter``).

Every handler takes ``(parser, tokens, used)`` where ``tokens[:used]`` are the keyword words,
and returns a statement or a list of statements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import ast
from .parser_classify import KEYWORD_HEADS, match_words
from .parser_helpers import case_style, find_word, split_commas, split_words, stmt_pos, top_level
from .errors import BasicSyntaxError
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser

# KeywordExpr keywords that are statements of their own when they start a line.
STATEMENT_KEYWORDS = {"POST", "PUT", "PATCH", "DELETE", "UPLOAD", "DOWNLOAD", "DELEGATE"}


def keyword_args(keyword: str, *, required: bool = True, separators: tuple[str, ...] = (),
                 each: bool = False) -> Callable:
    """``KEYWORD a, b ...``; ``separators`` are words read as commas (``AS``, ``TO``);
    ``each`` makes one statement per argument (``USE TOOL "a", "b"``)."""

    def handler(p: Parser, toks: list[Token], used: int):
        rest = unwrap_call(toks[used:])
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


def unwrap_call(rest: list[Token]) -> list[Token]:
    """``USE_WEBSITE("url", "30d")``: a keyword statement written as a call with several
    values gives the values inside the parentheses."""
    if len(rest) > 2 and rest[0].is_op("(") and rest[-1].is_op(")") and \
            any(t.is_op(",") for _, t in top_level(rest[1:-1])):
        depth = 0
        for k, t in enumerate(rest):
            depth += t.is_op("(") - t.is_op(")")
            if depth == 0:
                return rest[1:-1] if k == len(rest) - 1 else rest
    return rest


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
        if t.kind != "WORD" or (words and (case_style(t.text) != case_style(kt[0].text) or (
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
        if len(rest) > 2 and rest[1].is_op("=") and min_args == 2:  # SET HEADER "k" = v
            args = (p.expr(rest[:1]), p.expr(rest[2:], rest[1]))
        elif k is not None:
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
    """``SET "session.k", v`` / ``SET "session.k" = v`` (SET SESSION), ``SET name, v`` (the
    assignment ``name = v``); other ``SET X ...`` forms are unknown."""
    if len(toks) > 2 and toks[1].kind == "WORD" and toks[2].is_op(","):  # SET role, "admin"
        return ast.Assign(ast.Name(toks[1].text, **stmt_pos(toks[1])),
                          p.expr(toks[3:], toks[2]), **stmt_pos(toks[0]))
    if len(toks) > 1 and toks[1].kind == "STR":
        stmt = pair_with_as("SET SESSION")(p, toks, used)
        if len(stmt.args) == 2:
            return stmt
    return unknown(p, toks)  # SET "sheet.xlsx", cell, value / SET PAGE MODE ...: not here


def raw_words(keyword: str) -> Callable:
    """``CREATE INDEX idx ON t(a, b)``: SQL that only tunes a database; the rest of the line
    is kept as text (a UI_ONLY statement: evaluated, logged, ignored)."""

    def handler(p: Parser, toks: list[Token], used: int):
        rest = toks[used:]
        text = ast.Literal(p.text(rest) if rest else "", **stmt_pos(rest[0] if rest else toks[0]))
        return ast.KeywordStmt(keyword, (text,), **stmt_pos(toks[0]))

    return handler


def send_template(p: Parser, toks: list[Token], used: int):
    """``SEND TEMPLATE name TO to [WITH data]``, ``SEND TEMPLATE name, to[, data]``,
    ``SEND TEMPLATE TO to, name[, data]`` and ``SEND TEMPLATE name, channel, to, data`` (the
    channel is the platform's): always ``(name, to[, data])``."""
    rest = toks[used:]
    if rest and rest[0].is_word("TO"):
        args = p.exprs(rest[1:])
        if len(args) >= 2:
            args = (args[1], args[0], *args[2:])
        return ast.KeywordStmt("SEND TEMPLATE", tuple(args), **stmt_pos(toks[0]))
    stmt = keyword_args("SEND TEMPLATE", separators=("TO", "WITH"))(p, toks, used)
    if len(stmt.args) == 4:  # name, "email" | "whatsapp", to, data
        stmt = ast.KeywordStmt("SEND TEMPLATE", (stmt.args[0], *stmt.args[2:]), **stmt_pos(toks[0]))
    return stmt


def set_user(p: Parser, toks: list[Token], used: int):
    """``SET USER id`` (the user the run's user memory belongs to from here on),
    ``SET USER "key", v`` / ``SET USER "key" = v`` (one property of the user: SET USER MEMORY)
    and ``SET USER name, email`` (each variable kept as the user's property of that name)."""
    rest = toks[used:]
    if not rest:
        raise p.error("SET USER expects a user id, or a key and a value", toks[used - 1])
    if rest[0].kind == "STR" and len(rest) > 1 and rest[1].is_op("=", ","):
        return pair_with_as("SET USER MEMORY")(p, toks, used)
    parts = split_commas(rest)
    if len(parts) > 1 and all(len(x) == 1 and x[0].kind == "WORD" for x in parts):
        return [ast.KeywordStmt("SET USER MEMORY", (
            ast.Literal(x[0].text.lower(), **stmt_pos(x[0])), p.expr(x)), **stmt_pos(toks[0]))
            for x in parts]
    args = p.exprs(rest)
    if len(args) != 1:
        raise p.error("SET USER expects one user id (or \"key\", value)", rest[0])
    return ast.KeywordStmt("SET USER", args, **stmt_pos(toks[0]))


def query_metrics(p: Parser, toks: list[Token], used: int) -> ast.KeywordExpr:
    """``QUERY METRICS "messages" FOR "24h" [BY "1h"] [OFFSET n]``: a keyword expression
    (args ``(metric, period)``, options ``by`` and ``offset``)."""
    head, clauses = split_words(toks[used:], {"FOR", "BY", "OFFSET", "WHERE"})
    if "WHERE" in clauses:
        raise p.error("QUERY METRICS has no WHERE here: filter the rows it returns", toks[0])
    if "FOR" not in clauses:
        raise p.error("expected QUERY METRICS \"metric\" FOR \"period\"", toks[0])
    args = (p.expr(head, toks[used - 1]), p.expr(clauses["FOR"], toks[0]))
    options = tuple((word.lower(), p.expr(clauses[word], toks[0]))
                    for word in ("BY", "OFFSET") if word in clauses)
    return ast.KeywordExpr("QUERY METRICS", args, options, **stmt_pos(toks[0]))


SCHEDULE_WORDS = {"EVERY", "DAILY", "HOURLY", "WEEKLY", "MONTHLY", "WEEKDAYS", "WEEKENDS", "AT",
                  "ON", "MIDNIGHT", "NOON"}


def schedule(p: Parser, toks: list[Token], used: int):
    """``SET SCHEDULE "spec"`` or, as real scripts write it, unquoted: ``SET SCHEDULE every
    1 hour`` / ``SET SCHEDULE daily at 8am`` (the rest of the line is the spec, as text)."""
    rest = toks[used:]
    if rest and rest[0].kind == "WORD" and rest[0].upper in SCHEDULE_WORDS:
        spec = ast.Literal(p.text(rest), line=rest[0].line, col=rest[0].col)
        return ast.KeywordStmt("SET SCHEDULE", (spec,), **stmt_pos(toks[0]))
    # SET SCHEDULE "0 6 * * *" "erp-jobs.bas" "reorder": juxtaposed strings are separate values
    spaced = list(rest)
    for k in range(len(rest) - 1, 0, -1):
        if rest[k].kind == "STR" and rest[k - 1].kind == "STR":
            spaced.insert(k, Token("OP", ",", rest[k].line, rest[k].col, rest[k].pos, rest[k].pos))
    return keyword_args("SET SCHEDULE")(p, toks[:used] + spaced, used)


def save(p: Parser, toks: list[Token], used: int):
    """``SAVE "t", row`` / ``SAVE "t", a, b`` (generic) or ``SAVE "t" WITH a AS x, b AS y``."""
    rest = toks[used:]
    if len(rest) > 2 and rest[1].is_word("WITH"):
        return ast.KeywordStmt("SAVE", (p.expr(rest[:1]), as_pairs(p, rest[2:])),
                               **stmt_pos(toks[0]))
    return keyword_args("SAVE")(p, toks, used)


def as_pairs(p: Parser, toks: list[Token]) -> ast.ObjectLit:
    """``a AS x, b AS y`` (also ``a = x``) -> an object ``{"a": x, "b": y}`` (RETURN WITH,
    SAVE ... WITH); keys keep their spelling."""
    items = []
    for part in split_commas(toks):
        k = find_word(part, "AS")
        if k is None and len(part) > 1 and part[1].is_op("="):
            k = 1
        if k != 1 or part[0].kind not in ("WORD", "STR"):
            raise p.error("expected 'name AS value'", part[0] if part else toks[0])
        key = part[0].text if part[0].kind == "WORD" else "".join(
            x for x in part[0].value if isinstance(x, str))
        items.append((key, p.expr(part[2:], part[1])))
    return ast.ObjectLit(tuple(items), **stmt_pos(toks[0]))


def juxtaposed_unknown(toks: list[Token]) -> bool:
    """``x = CHART "pie", d`` / ``x = SELECT a FROM b``: an unknown keyword expression."""
    if len(toks) < 2 or toks[0].kind != "WORD" or toks[0].upper in ("NOT", "NEW", "TRUE",
                                                                     "FALSE", "NULL"):
        return False
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
    if case_style(word.text) != case_style(toks[0].text) or word.upper in ("AND", "OR", "NOT"):
        return False
    return nxt.kind in ("WORD", "STR", "NUM") or nxt.is_op("{", "#{", "[")


def post_to(p: Parser, toks: list[Token], used: int):
    """``POST TO INSTAGRAM [AT when] media, caption`` (a social network: a word, or a text
    naming several, ``"instagram,facebook"``; ``AT when`` schedules the post, its time written
    right before the media); any other ``POST to ...`` is the HTTP POST of a variable ``to``."""
    rest = toks[used:]
    word = len(rest) > 1 and rest[0].kind == "WORD" and not rest[1].is_op(
        ",", "=", ".", "?.", "(", "[", "+", "&")
    if not word and not (len(rest) > 2 and rest[0].kind == "STR" and rest[1].is_word("AT")):
        return expression_statement(p, toks)
    platform = ast.Literal(rest[0].text.upper(), **stmt_pos(rest[0])) if word else p.expr(rest[:1])
    options: list[tuple[str, ast.Expr]] = [("platform", platform)]
    values = rest[1:]
    if values and values[0].is_word("AT"):
        parts = split_commas(values[1:])
        if len(parts) < 2:
            raise p.error("expected POST TO network AT when media, caption", values[0])
        when, media = _juxtaposed(p, parts[0], values[0])
        options.append(("at", when))
        tail = values[1 + len(parts[0]) + 1:]
        return ast.KeywordStmt("POST TO", (media, *p.exprs(tail)), tuple(options),
                               **stmt_pos(toks[0]))
    return ast.KeywordStmt("POST TO", p.exprs(values), tuple(options), **stmt_pos(toks[0]))


def _juxtaposed(p: Parser, toks: list[Token], after: Token) -> tuple[ast.Expr, ast.Expr]:
    """Two expressions written side by side (``DATEADD(d, -1, "day") + " 10:00" image``): the
    longest first one after which the rest is one expression too."""
    for k in range(len(toks) - 1, 0, -1):
        try:
            return p.expr(toks[:k], after), p.expr(toks[k:], after)
        except BasicSyntaxError:
            continue
    raise p.error("expected the time and then the media after AT", after)
