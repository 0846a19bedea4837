"""The BASIC parser: ``parse(source, path) -> ast.Program``.

Design (a hybrid, because the dialect is loose and its keywords are contextual):

* ``lexer.py`` joins physical lines into logical statements (``tokens.py``), strips comments
  and keeps raw blocks (BEGIN TALK ... END TALK, TABLE ... END TABLE) as text.
* This module recognises statements line by line: an assignment shape first (so ``list = 1``,
  ``step = 2`` or ``next = x`` are assignments), then the longest keyword phrase at the start of
  the line (``SET BOT MEMORY``, ``SET_BOT_MEMORY``), then calls; anything else becomes an
  ``ast.Unknown`` node (it fails only when executed). Blocks (IF, FOR, DO, SELECT, SUB, ...)
  are parsed by recursive descent over lines with a stack of open blocks for the messages
  ("IF without END IF (opened at line 3)", "NEXT without FOR").
* Expressions go through the LALR grammar in ``grammar.lark`` (``parser_classify.py`` turns
  words into its terminals by position, ``parser_expressions.py`` builds the nodes).
* Statement families: ``parser_blocks``, ``parser_dialog``, ``parser_data``, ``parser_tools``
  (PARAM, DESCRIPTION, raw blocks), ``parser_workflow`` (multi-agent); ``parser_tables`` maps
  keyword phrases to them and to the generic forms of ``parser_forms``; ``Parser.statement``
  dispatches. The families share the token helpers of ``parser_helpers`` (a leaf), import no
  other family and import this module only for type checking, so the imports run one way
  (contract ``basic-parser`` in ``.importlinter``).
* A file made only of prose lines parses to an empty program (it loads and does nothing); a
  prose line among code is an Unknown statement.

Guarantees: only ``BasicSyntaxError`` is raised, always with line, column and the source line;
every node carries the line and column of its first token in the original source.
"""

from __future__ import annotations

import re

from . import ast
from .builtins import BUILTINS
from .errors import BasicSyntaxError
from .lexer import Lexer, tokenize_fragment
from .parser_dialog import hear_parts, wait_for_response
from .parser_expressions import KEYWORD_HEADS, match_words, parse_tokens, words_of
from .parser_forms import STATEMENT_KEYWORDS, extra_keyword_word, juxtaposed_unknown, query_metrics, unknown
from .parser_helpers import Open, assignment_split, balanced, stmt_pos
from .parser_tables import STATEMENTS
from .parser_tools import raw_block
from .tokens import LogicalLine, Token

# keyword expressions that take the whole expression, with clauses of their own
WHOLE_EXPRESSIONS = {("QUERY", "METRICS")}

# closer phrase -> what it closes (for "NEXT without FOR")
CLOSERS: dict[tuple[str, ...], str] = {
    ("END", "IF"): "IF", ("ELSE", "IF"): "IF", ("ELSE",): "IF",
    ("NEXT",): "FOR", ("END", "FOR"): "FOR",
    ("LOOP",): "DO", ("WEND",): "WHILE", ("END", "WHILE"): "WHILE",
    ("CASE",): "SELECT CASE", ("CASE", "ELSE"): "SELECT CASE", ("DEFAULT",): "SWITCH",
    ("CASE", "DEFAULT"): "SWITCH",
    ("END", "SELECT"): "SELECT CASE", ("END", "SWITCH"): "SWITCH",
    ("END", "SUB"): "SUB", ("END", "FUNCTION"): "FUNCTION", ("END", "WITH"): "WITH",
    ("END", "ON"): "ON EVENT or ON FORM SUBMIT", ("END", "EVENT"): "ON EVENT",
    ("END", "SCHEDULE"): "SCHEDULE IN ... DO", ("END", "PARALLEL"): "PARALLEL", ("END", "BRANCH"): "BRANCH", ("BRANCH",): "PARALLEL",
}
SOFT_CLOSERS = {"BRANCH"}  # outside PARALLEL, a BRANCH line is a statement (checker error)

# statements whose syntax errors are never read as an unknown keyword (FOR EACH x ...)
STRUCTURE_WORDS = {"IF", "FOR", "DO", "WHILE", "SELECT", "SWITCH", "SUB", "FUNCTION", "WITH",
                   "EXIT", "BREAK", "END", "RETURN", "ON", "THROW", "GOTO", "WAIT", "DELAY",
                   "CALL", "HEAR", "PARAM", "DESCRIPTION", "STEP", "BOT", "HUMAN", "PARALLEL",
                   "BRANCH", "ORCHESTRATE", "PUBLISH", "TIMEOUT", "RETRY", "DIM", "CONST"}
NOT_LABELS = {"STEP", "BRANCH", "ON", "ELSE", "CASE", "DEFAULT", "HUMAN", "BOT"}


class Parser:
    """Parses one script; see the module docstring."""

    def __init__(self, source: str, path: str = "<script>"):
        self.path = path
        lexer = Lexer(source)
        self.src = lexer.src
        self.src_lines = lexer.lines
        try:
            self.lines: list[LogicalLine] = lexer.logical_lines()
        except BasicSyntaxError as exc:
            raise self._with_source(exc) from None
        self.i = 0
        self.stack: list[Open] = []
        self.in_step = False
        self.cache: dict = {}
        self.routines = self._routine_names()
        self.problems: list[BasicSyntaxError] | None = None  # a list: recover and collect

    # -- helpers ----------------------------------------------------------------------------

    def _with_source(self, exc: BasicSyntaxError) -> BasicSyntaxError:
        if exc.source_line is None and 0 < exc.line <= len(self.src_lines):
            exc.source_line = self.src_lines[exc.line - 1]
        return exc

    def error(self, message: str, at: Token | ast.Node | tuple[int, int]) -> BasicSyntaxError:
        if isinstance(at, Token):
            line, col = at.line, at.col
        elif isinstance(at, ast.Node):
            line, col = at.line, at.col
        else:
            line, col = at
        return self._with_source(BasicSyntaxError(message, line=line, col=col))

    def text(self, toks: list[Token]) -> str:
        """The source text of a token span, as written."""
        if not toks:
            return ""
        return self.src[toks[0].pos:toks[-1].end]

    def expr(self, toks: list[Token], after: Token | None = None) -> ast.Expr:
        """One expression from exactly ``toks``; ``after`` names what it follows in messages."""
        if not toks:
            if after is None:
                raise self.error("expected an expression", (0, 0))
            raise self.error(f"expected an expression after '{after.text}'",
                             (after.line, after.col + len(after.text)))
        try:
            whole = match_words(toks, 0, WHOLE_EXPRESSIONS)
            if whole is not None:  # x = QUERY METRICS ... FOR ...
                return query_metrics(self, toks, whole[1])
            return parse_tokens(toks)
        except BasicSyntaxError as exc:
            if not exc.line:
                exc.line, exc.col = toks[0].line, toks[0].col
            raise self._with_source(exc) from None

    def exprs(self, toks: list[Token]) -> tuple[ast.Expr, ...]:
        """A comma-separated list (possibly empty)."""
        if not toks:
            return ()
        try:
            return parse_tokens(toks, start="exprs")
        except BasicSyntaxError as exc:
            raise self._with_source(exc) from None

    def target(self, toks: list[Token], after: Token | None = None):
        node = self.expr(toks, after)
        if not isinstance(node, (ast.Name, ast.Member, ast.Index)):
            raise self.error("expected a variable, a member (a.b) or an item (a[i])", toks[0])
        return node

    def peek(self) -> LogicalLine | None:
        return self.lines[self.i] if self.i < len(self.lines) else None

    def _routine_names(self) -> set[str]:
        names = set()
        for ll in self.lines:
            toks = ll.tokens
            if len(toks) > 1 and toks[0].is_word("SUB", "FUNCTION") and toks[1].kind == "WORD":
                names.add(toks[1].text.lower())
        return names

    # -- blocks -----------------------------------------------------------------------------

    def closer_of(self, ll: LogicalLine) -> tuple[str, int] | None:
        """``(closer phrase, words used)`` when the line closes or divides a block."""
        toks = ll.tokens
        if toks[0].kind != "WORD" or assignment_split(toks) is not None:
            return None
        found = match_words(toks, 0, CLOSERS)
        if found is None:
            return None
        phrase, used = found
        return " ".join(phrase), used

    def parse_block(self, open_: Open | None):
        """Statements up to a closer accepted by ``open_``; returns ``(body, closer line,
        closer phrase, words used)``. Raises on EOF or on a closer of an outer block."""
        body: list[ast.Stmt] = []
        if open_ is not None:
            self.stack.append(open_)
        try:
            while self.i < len(self.lines):
                ll = self.lines[self.i]
                closer = self.closer_of(ll)
                if closer is not None:
                    name, used = closer
                    if open_ is not None and name in open_.closers:
                        self.i += 1
                        return tuple(body), ll, name, used
                    outer = any(name in o.closers for o in self.stack)
                    if not (name in SOFT_CLOSERS and not outer):
                        if self.problems is None or outer:
                            raise self._misplaced(ll, name)
                        self.problems.append(self._misplaced(ll, name))  # NEXT without FOR
                        self.i += 1
                        continue
                self.i += 1
                try:
                    body.extend(self.statement(ll.tokens))
                except BasicSyntaxError as exc:
                    if self.problems is None:
                        raise
                    self.problems.append(exc)  # recover at the next line
            if open_ is not None:
                raise self.error(f"{open_.kind} without {open_.end} (opened at line {open_.line})",
                                 self._opener_pos(open_))
            return tuple(body), None, None, 0
        finally:
            if open_ is not None:
                self.stack.pop()

    def _opener_pos(self, open_: Open) -> tuple[int, int]:
        for ll in self.lines:
            for tok in ll.tokens:
                if tok.line == open_.line:
                    return tok.line, tok.col
        return open_.line, 1

    def _misplaced(self, ll: LogicalLine, name: str) -> BasicSyntaxError:
        for o in reversed(self.stack):
            if name in o.closers:
                inner = self.stack[-1]
                return self.error(f"{inner.kind} without {inner.end} (opened at line {inner.line})",
                                  ll.tokens[0])
        opener = CLOSERS[tuple(name.split())]
        return self.error(f"{name} without {opener}", ll.tokens[0])

    # -- statements -------------------------------------------------------------------------

    def statement(self, toks: list[Token]) -> list[ast.Stmt]:
        """The statement(s) of one logical line (or of a part of one, e.g. after THEN): an
        assignment shape first, then a label, then the longest phrase of the statement table,
        then a call; anything else is an ``ast.Unknown`` statement."""
        while toks and toks[-1].is_op(";"):
            toks = toks[:-1]
        if not toks:
            return []
        first = toks[0]
        if first.kind == "RAW":
            return [raw_block(self, first)]
        eq = assignment_split(toks)
        if eq is not None:
            return [self._assignment(toks, eq)]
        if first.kind == "WORD" and len(toks) > 1 and toks[1].is_op(":") \
                and first.upper not in NOT_LABELS:
            return self._label(toks)
        if first.kind == "NUM" and isinstance(first.value, int) and len(toks) > 1 \
                and toks[1].kind == "WORD":
            return self._label(toks)  # classic line numbers: "10 PRINT x"
        if first.kind == "WORD":
            found = match_words(toks, 0, STATEMENTS)
            if found is not None:
                phrase, used = found
                saved = self.i
                try:
                    result = STATEMENTS[phrase](self, toks, used)
                except BasicSyntaxError:
                    if self.i != saved or phrase[0] in STRUCTURE_WORDS or \
                            not extra_keyword_word(toks, used):
                        raise
                    return [unknown(self, toks)]
                return result if isinstance(result, list) else [result]
        return [self._fallback(toks)]

    def _assignment(self, toks: list[Token], eq: int):
        start = 1 if toks[0].is_word("LET", "SET") and eq > 1 else 0
        target = self.target(toks[start:eq])
        value_toks = toks[eq + 1:]
        op = toks[eq].text
        if op == "=" and value_toks and value_toks[0].is_word("HEAR"):
            return hear_parts(self, target, value_toks[1:], toks[0])
        response = match_words(value_toks, 0, {("WAIT", "FOR", "RESPONSE")}) if op == "=" else None
        if response is not None:  # x = WAIT FOR RESPONSE TIMEOUT 60
            return wait_for_response(self, value_toks, response[1], target)
        if op == "=" and len(value_toks) > 1 and value_toks[0].is_word("CALL") and \
                value_toks[1].kind == "STR":  # x = CALL "/crm/customers", id: the bot's API
            value = ast.KeywordExpr("CALL API", self.exprs(value_toks[1:]),
                                    **stmt_pos(value_toks[0]))
            return ast.Assign(target, value, **stmt_pos(toks[0]))
        if op == "=" and len(value_toks) == 2 and value_toks[0].is_word("LIST") and \
                value_toks[1].is_word("TOOLS"):  # tools = LIST TOOLS
            value = ast.KeywordExpr("LIST TOOLS", (), **stmt_pos(value_toks[0]))
            return ast.Assign(target, value, **stmt_pos(toks[0]))
        try:
            value = self.expr(value_toks, toks[eq])
        except BasicSyntaxError:
            call = self._builtin_without_parens(value_toks)
            if call is not None:
                return ast.Assign(target, call, **stmt_pos(toks[0]))
            if juxtaposed_unknown(value_toks):
                return unknown(self, toks, value_toks)
            raise
        if op != "=":
            value = ast.Binary({"+=": "+", "-=": "-", "*=": "*", "/=": "/", "&=": "&"}[op], target,
                               value, line=target.line, col=target.col)
        return ast.Assign(target, value, **stmt_pos(toks[0]))

    def _builtin_without_parens(self, toks: list[Token]) -> ast.Call | None:
        """``x = DATEADD today, "days", 3``: a built-in function written like a keyword, its
        arguments without parentheses (None when it is not that, or they do not parse)."""
        if len(toks) < 2 or toks[0].kind != "WORD" or toks[0].text.lower() not in BUILTINS or \
                toks[1].is_op("(") or match_words(toks, 0, KEYWORD_HEADS) is not None:
            return None  # FORMAT a AS: the keyword form, whose errors are its own
        try:
            args = self.exprs(toks[1:])
        except BasicSyntaxError:
            return None
        return ast.Call(toks[0].text.upper(), tuple(args), **stmt_pos(toks[0]))

    def _label(self, toks: list[Token]) -> list[ast.Stmt]:
        label = ast.Label(toks[0].text, **stmt_pos(toks[0]))
        return [label, *self.statement(toks[2:] if toks[1].is_op(":") else toks[1:])]

    def _fallback(self, toks: list[Token]):
        """Calls (``name(args)``, ``obj.m(args)``, a SUB called without parens); else Unknown."""
        first = toks[0]
        if first.kind == "WORD" and first.text.lower() in self.routines:
            rest = toks[1:]
            if rest and rest[0].is_op("(") and rest[-1].is_op(")") and balanced(rest[1:-1]):
                rest = rest[1:-1]
            return ast.CallStmt(first.text, self.exprs(rest), **stmt_pos(first))
        try:
            node = self.expr(toks)
        except BasicSyntaxError:
            attempt = first.kind == "WORD" and len(toks) > 1 and toks[1].is_op("(", ".", "?.", "[")
            if first.kind == "STR" or first.is_op("(", "[", "{", "#{") or attempt or (
                    first.kind == "WORD" and match_words(toks, 0, KEYWORD_HEADS) is not None):
                raise
            return unknown(self, toks)
        if isinstance(node, ast.Call):
            return ast.CallStmt(node.name, node.args, line=node.line, col=node.col)
        if isinstance(node, ast.KeywordExpr) and node.keyword in STATEMENT_KEYWORDS:
            return ast.KeywordStmt(node.keyword, node.args, node.options, line=node.line,
                                   col=node.col)
        if first.kind == "WORD" and not isinstance(node, (ast.MethodCall, ast.KeywordExpr,
                                                         ast.WaitForEvent)):
            return unknown(self, toks)
        return ast.ExprStmt(node, line=node.line, col=node.col)

    def is_unknown_line(self, index: int) -> bool:
        """Would line ``index`` be an Unknown statement (free text)? Parses nothing but the
        line (a bare DESCRIPTION takes the prose lines that follow it)."""
        ll = self.lines[index]
        toks = ll.tokens
        if toks[0].kind != "WORD" or self.closer_of(ll) is not None:
            return False
        if assignment_split(toks) is not None or match_words(toks, 0, STATEMENTS) is not None:
            return False
        if len(toks) > 1 and toks[1].is_op(":"):
            return False
        try:
            return isinstance(self._fallback(toks), ast.Unknown)
        except BasicSyntaxError:
            return False

    def parse_program(self) -> ast.Program:
        body, _, _, _ = self.parse_block(None)
        unknown = [s for s in body if isinstance(s, ast.Unknown)]
        if unknown and all(isinstance(s, (ast.Unknown, ast.Label)) for s in body) and all(
                _is_prose(s.text) for s in unknown):
            body = ()  # a file of notes: it loads and does nothing (BASIC.md section 7)
        return ast.Program(body, path=self.path, line=1, col=1)


_PLACEHOLDER = re.compile(r"\$\{[^{}\n]*\}")
_LIST_MARKER = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+")


def _is_prose(text: str) -> bool:
    """Free text rather than an unsupported statement: no strings, calls, brackets or '=', and
    a first word that is not written in capitals like a keyword (``PLAY x`` is a statement).
    A list marker (``- ``, ``* ``, ``1. ``) may start it and ``${name}`` placeholders of a
    prompt text count as words."""
    text = _PLACEHOLDER.sub("name", _LIST_MARKER.sub("", text))
    try:
        toks = tokenize_fragment(text, 1, 1)
    except BasicSyntaxError:
        return False
    if not toks or toks[0].kind != "WORD" or (toks[0].text.isupper() and len(toks[0].text) > 1):
        return False
    return not any(t.kind == "STR" or t.is_op("(", "[", "{", "#{", "=") for t in toks)


def is_prose_document(parser: Parser) -> bool:
    """A file of notes that does not parse (a prompt saved as ``.bas``: headings, sentences,
    a sentence starting with ``For`` or quoting ``CALL "/x"``): no line of it is a statement on
    its own (each is free text or an error) and at least two thirds are free text."""
    prose = 0
    for ll in parser.lines:
        text = parser.text(ll.tokens)
        if ll.tokens[0].kind == "RAW" or assignment_split(ll.tokens) is not None:
            return False
        try:
            body = Parser(text).parse_program().body
        except BasicSyntaxError:
            continue
        if any(not isinstance(s, ast.Unknown) for s in body):
            return False
        prose += 1
    return prose * 3 >= len(parser.lines) * 2


def parse(source: str, path: str = "<script>") -> ast.Program:
    """Parse a whole script. Raises ``BasicSyntaxError`` (``.format(path)`` shows
    ``path:line:col: message``, the source line and a caret). A file of notes
    (``is_prose_document``) parses to an empty program."""
    parser = Parser(source, path)
    try:
        return parser.parse_program()
    except BasicSyntaxError:
        if is_prose_document(parser):
            return ast.Program((), path=path, line=1, col=1)
        raise


def parse_all(source: str, path: str = "<script>") -> tuple[ast.Program, list[BasicSyntaxError]]:
    """Parse with recovery (for ``gb check``): every syntax error of the file, in source order,
    and the program made of the statements that parsed. A statement in error is left out and
    parsing goes on at the next line; a block in error (``IF`` without ``END IF``) is left out
    as a whole, its inner errors still reported. Errors of the lexer pass (an unterminated
    string, a bracket never closed) end the file: they are the only error then."""
    try:
        parser = Parser(source, path)
    except BasicSyntaxError as exc:
        return ast.Program((), path=path, line=1, col=1), [exc]
    parser.problems = []
    program = parser.parse_program()
    if parser.problems and is_prose_document(Parser(source, path)):
        return ast.Program((), path=path, line=1, col=1), []
    unique = {(e.line, e.col, e.message): e for e in parser.problems}
    return program, [unique[k] for k in sorted(unique)]


def parse_expression(text: str) -> ast.Expr:
    """Parse one expression (for tests and tools)."""
    toks = tokenize_fragment(text, 1, 1)
    if not toks:
        raise BasicSyntaxError("expected an expression", line=1, col=1, source_line=text)
    try:
        return parse_tokens(toks)
    except BasicSyntaxError as exc:
        if exc.source_line is None:
            lines = text.split("\n")
            if 0 < exc.line <= len(lines):
                exc.source_line = lines[exc.line - 1]
        raise


__all__ = ["parse", "parse_all", "parse_expression", "Parser", "words_of"]
