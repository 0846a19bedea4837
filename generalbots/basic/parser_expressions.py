"""Expressions: lexer tokens -> grammar.lark terminals -> AST expression nodes.

``classify`` decides, from each word's position, which terminal it is: keywords are contextual,
so ``list``, ``format`` or ``count`` are names unless they stand where a keyword expression can
start (``x = LIST "folder"``) and ``AND``/``MOD``/``AS``/``WHERE`` are operators or clause words
only in infix position. The LALR parser (built once per process) transforms while it parses, so
no parse tree is ever built; every node takes its position from its first token.
Error messages are derived from the offending token and the set of terminals the LALR state
expected ("expected an expression after '+'", "missing ')'", "expected ':'"), which is what
lark's ``match_examples`` would key on, without a table of examples to maintain. In argument
lists a missing comma between two values is tolerated (``SET_BOT_MEMORY "k" v``).
Only ``BasicSyntaxError`` leaves this module.
"""

from __future__ import annotations

from pathlib import Path

import lark
from lark.exceptions import UnexpectedToken, VisitError
from lark.lexer import Lexer as _LarkLexer
from lark.lexer import Token as LarkToken

from . import ast
from .errors import BasicSyntaxError
from .lexer import tokenize_fragment
from .parser_classify import (BUILTIN_HEADS, CALL_AS_KEYWORD, CONTEXT_CALLS, KEYWORD_HEADS, classify,
                              event_name, match_words, words_of)
from .parser_helpers import open_depth
from .tokens import Interp, Token

__all__ = ["parse_tokens", "string_node", "where_pairs", "classify", "event_name", "match_words",
           "words_of", "KEYWORD_HEADS", "CALL_AS_KEYWORD", "BUILTIN_HEADS"]


def _column(node):
    """``ORDER BY name``: a column, not a variable."""
    if isinstance(node, ast.Name):
        return ast.Literal(node.name, line=node.line, col=node.col)
    return node


class _Feed(_LarkLexer):
    """Hands already-classified tokens to the LALR parser."""

    def __init__(self, lexer_conf=None):
        pass

    def lex(self, data, *args):  # type: ignore[override]
        return iter(data)


def _pos(child) -> tuple[int, int]:
    if isinstance(child, LarkToken):
        return child.line, child.column
    if isinstance(child, ast.Node):
        return child.line, child.col
    if isinstance(child, tuple) and child:
        return _pos(child[0])
    return 0, 0


def _items(children, skip=("COMMA",)) -> tuple:
    return tuple(c for c in children
                 if c is not None and not (isinstance(c, LarkToken) and c.type in skip))


class _Build(lark.Transformer):
    """Inline transformer: grammar rules -> AST nodes."""

    def lit(self, c):
        return c[0].value

    def name(self, c):
        line, col = _pos(c[0])
        return ast.Name(c[0].value, line=line, col=col)

    def call(self, c):
        line, col = _pos(c[0])
        name, args = c[0].value, tuple(c[2] or ())
        if name.upper() in CALL_AS_KEYWORD:
            return ast.KeywordExpr(name.upper(), args, line=line, col=col)
        if name.upper() in CONTEXT_CALLS and not args:  # SESSION_ID(): the run's own session
            return ast.KeywordExpr(name.upper(), (), line=line, col=col)
        return ast.Call(name, args, line=line, col=col)

    def paren(self, c):
        return c[1]

    def array(self, c):
        line, col = _pos(c[0])
        return ast.ArrayLit(tuple(c[1] or ()), line=line, col=col)

    def object(self, c):
        line, col = _pos(c[0])
        return ast.ObjectLit(tuple(c[1] or ()), line=line, col=col)

    def new(self, c):
        line, col = _pos(c[0])
        if c[0].value == "ARRAY":
            return ast.ArrayLit((), line=line, col=col)
        return ast.ObjectLit((), line=line, col=col)

    def args(self, c):
        return _items(c)

    def pairs(self, c):
        return _items(c)

    def pair(self, c):
        key = c[0].value
        if isinstance(key, ast.Literal):
            key = key.value if isinstance(key.value, str) else str(c[0])
        elif isinstance(key, ast.Template):
            raise _error("an object key cannot contain ${...}", key.line, key.col)
        return (str(key), c[2])

    def member(self, c):
        line, col = _pos(c[0])
        return ast.Member(c[0], c[2].value, optional=c[1].type == "QDOT", line=line, col=col)

    def method(self, c):
        line, col = _pos(c[0])
        return ast.MethodCall(c[0], c[2].value, tuple(c[4] or ()), line=line, col=col)

    def index(self, c):
        line, col = _pos(c[0])
        return ast.Index(c[0], c[2], line=line, col=col)

    def unary(self, c):
        op, operand = c[0], c[1]
        if op.type == "PLUS":
            return operand
        if op.type == "MINUS":
            if isinstance(operand, ast.Literal) and type(operand.value) in (int, float):
                return ast.Literal(-operand.value, line=op.line, col=op.column)
            return ast.Unary("-", operand, line=op.line, col=op.column)
        return ast.Unary("not", operand, line=op.line, col=op.column)

    def binary(self, c):
        line, col = _pos(c[0])
        return ast.Binary(c[1].value, c[0], c[2], line=line, col=col)

    def isnull(self, c):
        line, col = _pos(c[0])
        return ast.IsNull(c[0], False, line=line, col=col)

    def isnotnull(self, c):
        line, col = _pos(c[0])
        return ast.IsNull(c[0], True, line=line, col=col)

    def conditional(self, c):
        line, col = _pos(c[0])
        return ast.Conditional(c[0], c[2], c[4], line=line, col=col)

    def kw0(self, c):
        line, col = _pos(c[0])
        return ast.KeywordExpr(c[0].value, (), line=line, col=col)

    def kw1(self, c):
        line, col = _pos(c[0])
        if c[0].value in BUILTIN_HEADS:
            return ast.Call(c[0].value, (c[1],), line=line, col=col)
        return ast.KeywordExpr(c[0].value, (c[1],), line=line, col=col)

    def kwn(self, c):
        line, col = _pos(c[0])
        args = _items(c[1:])
        if c[0].value in BUILTIN_HEADS:
            return ast.Call(c[0].value, args, line=line, col=col)
        return ast.KeywordExpr(c[0].value, args, line=line, col=col)

    def find(self, c):
        """Options: ``where``; ``order by`` / ``descending`` for the first sort column,
        ``order by 2`` / ``descending 2`` ... for the next ones; ``limit`` (also ``FIRST n``);
        ``last`` (``LAST n``); ``first``."""
        line, col = _pos(c[0])
        args, options = [], []
        rest = list(c[1:])
        keys = 0  # sort columns seen (after ORDER BY, plain values are sort columns)
        while rest:
            item = rest.pop(0)
            if isinstance(item, LarkToken) and item.type in ("WHERE", "LIMIT"):
                kind = "last" if item.value == "LAST" else item.type.lower()  # FIRST n: LIMIT n
                options.append((kind, rest.pop(0)))
            elif isinstance(item, LarkToken) and item.type == "ORDERBY":
                keys = 1
                options.append(("order by", _column(rest.pop(0))))
            elif isinstance(item, LarkToken) and item.type == "SORTDIR":
                options.append(("descending" + (f" {keys}" if keys > 1 else ""),
                                ast.Literal(item.value, line=item.line, col=item.column)))
            elif isinstance(item, LarkToken) and item.type == "FINDFIRST":
                options.append(("first", ast.Literal(True, line=item.line, col=item.column)))
            elif keys and item is not None and not isinstance(item, LarkToken):
                keys += 1
                options.append((f"order by {keys}", _column(item)))
            elif item is not None and not isinstance(item, LarkToken):
                args.append(item)
        return ast.KeywordExpr("FIND", tuple(args), tuple(options), line=line, col=col)

    def filterkw(self, c):
        """``FILTER list, "cond"`` is the builtin; ``FILTER list WHERE col = v [AND ...]`` a
        keyword whose ``where`` option the compiler turns into column tests."""
        line, col = _pos(c[0])
        parts = [x for x in c[1:] if x is not None]
        if any(isinstance(x, LarkToken) and x.type == "WHERE" for x in parts):
            k = next(k for k, x in enumerate(parts) if isinstance(x, LarkToken)
                     and x.type == "WHERE")
            args = tuple(x for x in parts[:k] if not isinstance(x, LarkToken))
            return ast.KeywordExpr("FILTER", args, (("where", parts[k + 1]),), line=line,
                                   col=col)
        return ast.Call("FILTER", _items(c[1:]), line=line, col=col)

    def llm(self, c):
        line, col = _pos(c[0])
        return ast.KeywordExpr("LLM", (c[1],), tuple(c[2:]), line=line, col=col)

    def llmopt(self, c):
        return (c[1].value, c[2])

    def format(self, c):
        line, col = _pos(c[0])
        return ast.Call("FORMAT", _items(c[1:], ("COMMA", "AS")), line=line, col=col)

    def delegate(self, c):
        line, col = _pos(c[0])
        options = (("timeout", c[5]),) if c[5] is not None else ()
        return ast.KeywordExpr("DELEGATE", (c[1], c[3]), options, line=line, col=col)

    def waitevent(self, c):
        line, col = _pos(c[0])
        where = where_pairs(c[5]) if c[5] is not None else ()
        return ast.WaitForEvent(c[1], c[3], where, line=line, col=col)

    def callkw(self, c):
        target, (line, col) = c[1], _pos(c[0])
        if isinstance(target, ast.Call):
            return ast.Call(target.name, target.args, True, line=line, col=col)
        if isinstance(target, ast.MethodCall):
            return target
        if isinstance(target, ast.Name):
            return ast.Call(target.name, (), True, line=line, col=col)
        raise _error("expected a SUB or FUNCTION name after CALL", *_pos(c[0]))


def where_pairs(expr: ast.Expr) -> tuple[tuple[str, ast.Expr], ...]:
    """``a = 1 AND b = x`` -> ``(("a", 1), ("b", x))`` for WAIT FOR EVENT ... WHERE."""
    if isinstance(expr, ast.Binary) and expr.op == "and":
        return where_pairs(expr.left) + where_pairs(expr.right)
    if isinstance(expr, ast.Binary) and expr.op == "=":
        left = expr.left
        if isinstance(left, ast.Name):
            return ((left.name, expr.right),)
        if isinstance(left, ast.Member):
            return ((_dotted(left), expr.right),)
        if isinstance(left, ast.Literal) and isinstance(left.value, str):
            return ((left.value, expr.right),)
    raise _error("WHERE expects field = value [AND field = value ...]", expr.line, expr.col)


def _dotted(expr) -> str:
    if isinstance(expr, ast.Member):
        return _dotted(expr.obj) + "." + expr.name
    return expr.name if isinstance(expr, ast.Name) else "?"


def _error(message: str, line: int, col: int) -> BasicSyntaxError:
    return BasicSyntaxError(message, line=line, col=col)


_GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
_PARSER = lark.Lark(_GRAMMAR, parser="lalr", lexer=_Feed, start=["expr", "exprs"],
                    transformer=_Build(), maybe_placeholders=True)


# --------------------------------------------------------------------------------------------
# Strings


def string_node(parts: list, line: int, col: int, *, prose: bool = False) -> ast.Literal | ast.Template:
    """A decoded string's parts -> Literal (no ``${}``) or Template (parsed expressions).
    ``prose`` (the body of BEGIN TALK / SYSTEM PROMPT / MAIL): a ``${...}`` that is no
    expression (``${resumo de historico)}``) stays as written, a Literal node at its place
    (``gb check`` warns about it)."""
    if len(parts) == 1 and isinstance(parts[0], str):
        return ast.Literal(parts[0], line=line, col=col)
    out: list = []
    for part in parts:
        if isinstance(part, Interp):
            try:
                toks = tokenize_fragment(part.text, part.line, part.col)
                if not toks:
                    raise _error("empty ${} in a string", part.line, part.col)
                out.append(parse_tokens(toks))
            except BasicSyntaxError:
                if not prose:
                    raise
                out.append(ast.Literal("${" + part.text + "}", line=part.line, col=part.col))
        elif part:
            out.append(part)
    return ast.Template(tuple(out), line=line, col=col)


# --------------------------------------------------------------------------------------------
# Entry points


def parse_tokens(tokens: list[Token], start: str = "expr"):
    """Parse ``tokens`` (all of them) as one expression (``start="exprs"``: a comma list,
    returned as a tuple). Raises ``BasicSyntaxError`` with a position and a plain message."""
    if not tokens:
        raise _error("expected an expression", 0, 0)
    tokens = _bare_placeholders(tokens)
    for _ in range(8):
        classified = classify(tokens, string_node)
        try:
            result = _PARSER.parse(classified, start=start)
            break
        except UnexpectedToken as exc:
            at = _missing_comma(exc, tokens) if start == "exprs" else None
            if at is None:
                raise _explain(exc, tokens, classified) from None
            # SET_BOT_MEMORY "k" v: two juxtaposed arguments read as "k", v
            t = tokens[at]
            tokens = tokens[:at] + [Token("OP", ",", t.line, t.col, t.pos, t.pos)] + tokens[at:]
        except VisitError as exc:
            if isinstance(exc.orig_exc, BasicSyntaxError):
                raise exc.orig_exc from None
            raise
    else:
        raise _error("too many missing commas", tokens[0].line, tokens[0].col)
    return _finish(result, start)


def _bare_placeholders(tokens: list[Token]) -> list[Token]:
    """``"text" ${expr}`` outside a string, as some scripts write it: the value joined to the
    text before it, as inside a string (``"text" & (expr)``); alone, ``(expr)``."""
    if not any(t.is_op("$") for t in tokens):
        return tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.is_op("$") and i + 1 < len(tokens) and tokens[i + 1].is_op("{") and tokens[i + 1].pos == t.end:
            depth, j = 0, i + 1
            while j < len(tokens):
                depth += tokens[j].is_op("{", "#{") - tokens[j].is_op("}")
                if depth == 0:
                    break
                j += 1
            if j < len(tokens) and j > i + 2:
                if out and (out[-1].kind in ("STR", "NUM") or out[-1].is_op(")", "]")):
                    out.append(Token("OP", "&", t.line, t.col, t.pos, t.pos))
                out.append(Token("OP", "(", t.line, t.col, t.pos, t.end))
                out.extend(tokens[i + 2:j])
                out.append(Token("OP", ")", tokens[j].line, tokens[j].col, tokens[j].pos, tokens[j].end))
                i = j + 1
                continue
        out.append(t)
        i += 1
    return out


def _missing_comma(exc: UnexpectedToken, tokens: list[Token]) -> int | None:
    """Index where a comma seems to be missing between two arguments, or None."""
    index = exc.token.start_pos
    if exc.token.type == "$END" or not isinstance(index, int) or not 0 < index < len(tokens):
        return None
    if "COMMA" not in (exc.expected or ()):
        return None
    if open_depth(tokens, index):
        return None
    before, tok = tokens[index - 1], tokens[index]
    ends = before.kind in ("STR", "NUM", "WORD") or before.is_op(")", "]", "}")
    starts = tok.kind in ("STR", "NUM", "WORD") or tok.is_op("{", "#{")
    return index if ends and starts else None


def _finish(result, start: str):
    if start == "exprs":
        return _items(result.children if isinstance(result, lark.Tree) else result)
    return result


_CLOSE_TEXT = {"RPAR": ")", "RSQB": "]", "RBRACE": "}"}
_PUNCT_TEXT = {"COLON": "':'", "COMMA": "','", "RPAR": "')'", "RSQB": "']'", "RBRACE": "'}'",
               "AS": "AS", "TO": "TO"}


def _describe(tok: Token) -> str:
    if tok.kind == "STR":
        return "string " + (tok.text if len(tok.text) < 30 else tok.text[:27] + '..."')
    if tok.kind == "NUM":
        return f"number {tok.text}"
    if tok.kind == "WORD":
        return f"'{tok.text}'"
    return f"'{tok.text}'"


def _explain(exc: UnexpectedToken, tokens: list[Token], classified) -> BasicSyntaxError:
    expected = set(exc.expected or ())
    wants_operand = bool(expected & {"LIT", "NAME", "LPAR"})
    if exc.token.type == "$END":
        last = tokens[-1]
        for closer, text in _CLOSE_TEXT.items():
            if closer in expected and not wants_operand:
                return _error(f"missing '{text}'", last.line, last.col + len(last.text))
        if wants_operand:
            return _error(f"expected an expression after '{last.text}'", last.line,
                          last.col + len(last.text))
        if "COLON" in expected:
            return _error("expected ':' (the conditional is c ? a : b)", last.line,
                          last.col + len(last.text))
        return _error(f"incomplete expression after '{last.text}'", last.line, last.col)
    index = exc.token.start_pos
    tok = tokens[index] if isinstance(index, int) and 0 <= index < len(tokens) else tokens[-1]
    if exc.token.type in _CLOSE_TEXT and not expected & set(_CLOSE_TEXT):
        return _error(f"unexpected '{tok.text}'", tok.line, tok.col)
    wanted = [text for name, text in _PUNCT_TEXT.items() if name in expected]
    if wanted and not wants_operand and len(expected) <= 4:
        return _error(f"expected {' or '.join(wanted)}, found {_describe(tok)}", tok.line, tok.col)
    if wants_operand and index:
        before = tokens[index - 1]
        return _error(f"expected an expression after '{before.text}', found {_describe(tok)}",
                      tok.line, tok.col)
    if wants_operand:
        return _error(f"expected an expression, found {_describe(tok)}", tok.line, tok.col)
    return _error(f"unexpected {_describe(tok)}", tok.line, tok.col)
