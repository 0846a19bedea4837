"""The BASIC pre-pass: physical lines -> tokens -> logical statements.

Guarantees:

* Comments are gone: ``'`` anywhere outside a string, ``REM`` as the first word of a line, and
  ``#`` (but not ``#{``) or ``//`` as the first non-blank characters of a line.
* Strings are decoded (``\\n \\t \\r \\" \\\\ \\$``; other backslashes are kept) and may span
  lines; ``${expr}`` parts are kept as :class:`Interp` pieces (text plus the position of the
  expression) for the expression parser. ``{name}`` and ``{{name}}`` stay text.
* Raw blocks (``BEGIN TALK``, ``BEGIN SYSTEM PROMPT``, ``BEGIN MAIL to`` and ``TABLE name``
  ... ``END ...``) become one ``RAW`` token whose body is text, never code.
* Physical lines are joined into :class:`LogicalLine` statements while a bracket is open, after a
  trailing ``,`` ``+`` ``&`` ``&&`` ``||`` ``AND`` ``OR`` or ``_``, before a line that starts
  with such an operator, and for a ``WITH <option>`` line right under an ``LLM`` statement.
  A trailing operator does not join a next line that plainly starts a statement (an assignment
  ``name =``, ``WORD "text"`` or a statement word such as ``TALK`` or ``END``): ``x = 1 +`` stays an error on its
  own line instead of swallowing the statement below it.
* Every token keeps the line and column (1-based) of the ORIGINAL source, and its offsets.
* Nothing but :class:`BasicSyntaxError` is raised (unterminated string, unclosed bracket,
  raw block without its END line).

The token types it produces are in ``tokens``.
"""

from __future__ import annotations

import re
from textwrap import dedent

from .errors import BasicSyntaxError
from .tokens import Interp, LogicalLine, RawBlock, Token

OPERATORS = (
    "#{", "?.", "??", "&&", "||", "==", "<>", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "&=",
    "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "?", "+", "-", "*", "/", "\\", "^", "%",
    "&", "|", "!", "=", "<", ">", "@", "~", "`", "$",
)
QUOTES = '"\u201c\u201d\u201e'
OPENERS = {"(": ")", "[": "]", "{": "}", "#{": "}"}
CLOSERS = {")", "]", "}"}
TRAILING_CONTINUATION = {",", "+", "&", "&&", "||"}
TRAILING_CONTINUATION_WORDS = {"AND", "OR", "_", "WHERE"}  # FIND "t" WHERE / a = b
LEADING_CONTINUATION = {"+", "&", "&&", "||"}
SINGLE_QUOTE_AFTER = {"=", "+", "&", "(", ",", ":", "==", "<>", "!="}
LLM_OPTION_WORDS = {"OPTIMIZE", "MAX_COST", "MAX_LATENCY", "MAX", "TASK", "TEMPERATURE", "MODEL"}

_RAW_HEAD = re.compile(r"BEGIN[ \t_]+(TALK|SYSTEM[ \t_]+PROMPT|MAIL)\b", re.IGNORECASE)
_TABLE_HEAD = re.compile(r"TABLE[ \t]+([\w.\"-]+)", re.IGNORECASE)
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?")
_DIGITS = "0123456789"
_REM = re.compile(r"REM(?![\w])", re.IGNORECASE)
# a physical line that starts a statement of its own (never the rest of an expression)
STATEMENT_WORDS = {
    "TALK", "HEAR", "IF", "ELSE", "ELSEIF", "END", "NEXT", "FOR", "DO", "LOOP", "WHILE", "WEND",
    "CASE", "SWITCH", "SUB", "FUNCTION", "RETURN", "EXIT", "PRINT", "LOG", "SET", "LET", "SAVE",
    "WAIT", "CALL", "PARAM", "DESCRIPTION", "SEND", "ADD", "USE", "CLEAR", "DIM", "STEP",
    "BRANCH", "PUBLISH", "ORCHESTRATE", "REM",
}
_STATEMENT_WORD = re.compile(r"[ \t]*([A-Za-z]+)(?:[ \t_]+(?P<next>\S)|[ \t]*$)")
_CLOSING_WORDS = {"NEXT", "LOOP", "WEND", "ELSE", "END"}  # statements also when alone
_STATEMENT_SHAPE = re.compile(r"[ \t]*[A-Za-z_]\w*(?:[ \t]*=(?!=)|[ \t]+\")")


class Lexer:
    """One pass over the source; see the module docstring for the guarantees."""

    def __init__(self, source: str, line: int = 1, col: int = 1, raw_blocks: bool = True):
        self.src = source.replace("\r\n", "\n").replace("\r", "\n")
        self.i = 0
        self.line = line
        self.col = col
        self.raw_blocks = raw_blocks
        self.lines = self.src.split("\n")
        self.first_line = line

    # -- errors and positions ---------------------------------------------------------------

    def error(self, message: str, line: int, col: int) -> BasicSyntaxError:
        idx = line - self.first_line
        text = self.lines[idx] if 0 <= idx < len(self.lines) else None
        return BasicSyntaxError(message, line=line, col=col, source_line=text)

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.src[self.i] == "\n":
                self.line += 1
                self.col = 1
            else:
                self.col += 1
            self.i += 1

    # -- driver -----------------------------------------------------------------------------

    def logical_lines(self) -> list[LogicalLine]:
        result: list[LogicalLine] = []
        current: list[Token] = []
        stack: list[Token] = []
        at_line_start = True
        src, n = self.src, len(self.src)
        while self.i < n:
            ch = src[self.i]
            if ch == "\n":
                self.advance()
                at_line_start = True
                if current and not stack and (not self._continues(current) or (
                        self._starts_statement(current[-1]) and not _update_set(current))):
                    result.append(LogicalLine(current))
                    current = []
                continue
            if ch in " \t\f\v\ufeff\u00a0":
                self.advance()
                continue
            if at_line_start:
                at_line_start = False
                if self._skip_line_comment():
                    continue
                if self.raw_blocks and not current and not stack:
                    raw = self._raw_block()
                    if raw is not None:
                        result.append(LogicalLine([raw]))
                        continue
            if ch == "'":
                if self._single_quoted(current):
                    current.append(self._single_quoted_string())
                    continue
                self._skip_to_eol()
                continue
            tok = self._token()
            if tok.kind == "OP":
                if tok.text in OPENERS:
                    stack.append(tok)
                elif tok.text in CLOSERS and stack:
                    stack.pop()
            if current and current[-1].is_word("_") and current[-1].line < tok.line:
                current.pop()  # VB-style "_" line continuation
            current.append(tok)
        if stack:
            opener = stack[-1]
            raise self.error(f"'{opener.text}' is never closed", opener.line, opener.col)
        if current:
            result.append(LogicalLine(current))
        return _merge_lines(result)

    def _single_quoted(self, current: list[Token]) -> bool:
        """A ``'`` where a value must come (after ``=``, an operator, ``(`` or ``,``, or right
        after TALK) with another ``'`` later on the line opens a single-quoted string
        (``TALK '"' + quote + '"'``, ``x.flag = 'f'``); anywhere else it starts a comment."""
        if not current:
            return False
        last = current[-1]
        wants_value = (last.kind == "OP" and last.text in SINGLE_QUOTE_AFTER) or (
            len(current) == 1 and last.is_word("TALK", "PRINT", "RETURN"))
        if not wants_value:
            return False
        end = self.src.find("\n", self.i + 1)
        return "'" in self.src[self.i + 1:len(self.src) if end < 0 else end]

    def _single_quoted_string(self) -> Token:
        """``'text'``: no escapes and no ``${}`` inside (the text as written)."""
        src, line, col, start = self.src, self.line, self.col, self.i
        end = src.index("'", start + 1)
        self.advance(end + 1 - start)
        return Token("STR", src[start:end + 1], line, col, start, end + 1, [src[start + 1:end]])

    def _continues(self, tokens: list[Token]) -> bool:
        last = tokens[-1]
        if last.is_word("SET") and tokens[0].is_word("UPDATE"):  # UPDATE "t" SET / a = 1, ...
            return True
        if last.kind == "OP":
            return last.text in TRAILING_CONTINUATION
        if last.kind == "WORD" and last.upper in TRAILING_CONTINUATION_WORDS:
            return len(tokens) < 2 or not tokens[-2].is_op(".", "?.")
        return False

    def _starts_statement(self, last: Token) -> bool:
        """Does the physical line at the cursor start a statement of its own? After a trailing
        ``AND`` / ``OR`` a ``name = value`` line is a comparison (``IF a = 1 AND`` /
        ``b = 2 THEN``), not an assignment; after a VB-style ``_`` the line always continues."""
        if last.is_word("_"):
            return False
        line = self._rest_of_line()
        if _STATEMENT_SHAPE.match(line) and not (last.kind == "WORD" and "=" in line.split('"')[0]):
            return True
        m = _STATEMENT_WORD.match(line)
        if m is None or m.group(1).upper() not in STATEMENT_WORDS:
            return False
        after = m.group("next")
        if after is None:  # the word alone: "step" may be a variable, "NEXT" closes a loop
            return m.group(1).upper() in _CLOSING_WORDS
        return after not in "=+-*/&<>.,)]^%"

    def _skip_to_eol(self) -> None:
        end = self.src.find("\n", self.i)
        end = len(self.src) if end < 0 else end
        self.col += end - self.i
        self.i = end

    def _skip_line_comment(self) -> bool:
        src, i = self.src, self.i
        if src.startswith("//", i) or (src[i] == "#" and not src.startswith("#{", i)):
            self._skip_to_eol()
            return True
        if _REM.match(src, i):
            self._skip_to_eol()
            return True
        return False

    # -- raw blocks -------------------------------------------------------------------------

    def _rest_of_line(self) -> str:
        end = self.src.find("\n", self.i)
        return self.src[self.i:] if end < 0 else self.src[self.i:end]

    def _raw_block(self) -> Token | None:
        rest = self._rest_of_line()
        m = _RAW_HEAD.match(rest)
        if m:
            kind = " ".join(re.split(r"[ \t_]+", m.group(1).upper()))
        else:
            m = _TABLE_HEAD.match(rest)
            if not m or m.group(1).startswith("="):
                return None
            kind = "TABLE"
        end_re = re.compile(r"[ \t]*END[ \t_]+" + r"[ \t_]+".join(kind.split()) + r"[ \t]*(?:'.*)?$",
                            re.IGNORECASE)
        start_idx = self.line - self.first_line
        for idx in range(start_idx + 1, len(self.lines)):
            if end_re.match(self.lines[idx]):
                break
        else:
            if kind == "TABLE":
                return None  # "TABLE x" with no END TABLE: not a table declaration
            raise self.error(f"BEGIN {kind} without END {kind}", self.line, self.col)
        line, col, pos = self.line, self.col, self.i
        head_at = m.start(1) if kind == "TABLE" else m.end()
        header = Lexer(rest[head_at:], line, col + head_at, raw_blocks=False)
        header.lines = [self.lines[start_idx]]
        header_tokens = [t for ll in header.logical_lines() for t in ll.tokens]
        for t in header_tokens:
            t.pos += pos + head_at
            t.end += pos + head_at
        body_lines = self.lines[start_idx + 1: idx]
        numbered = [(line + 1 + k, 1, text) for k, text in enumerate(body_lines)]
        body: list = []
        if kind != "TABLE":
            text = dedent("\n".join(body_lines))
            lead = len(text) - len(text.lstrip("\n"))
            body = split_template(text.strip("\n"), line + 1 + lead, 1)
        block = RawBlock(kind, header_tokens, body, line + 1, numbered)
        # continue after the END line
        end_offset = sum(len(t) + 1 for t in self.lines[:idx + 1]) - 1
        self.i = min(end_offset, len(self.src))
        self.line = self.first_line + idx
        self.col = len(self.lines[idx]) + 1
        return Token("RAW", rest.strip(), line, col, pos, self.i, block)

    # -- tokens -----------------------------------------------------------------------------

    def _token(self) -> Token:
        src, i = self.src, self.i
        ch = src[i]
        line, col = self.line, self.col
        if ch in QUOTES:
            return self._string()
        if ch in _DIGITS or (ch == "." and i + 1 < len(src) and src[i + 1] in _DIGITS):
            m = _NUMBER.match(src, i)
            text = m.group(0)
            value: object = float(text) if any(c in text for c in ".eE") else int(text)
            self.advance(len(text))
            return Token("NUM", text, line, col, i, self.i, value)
        if ch.isalpha() or ch == "_":
            j = i + 1
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            text = src[i:j]
            self.advance(j - i)
            return Token("WORD", text, line, col, i, self.i)
        for op in OPERATORS:
            if src.startswith(op, i):
                if op == "?." and i + 2 < len(src) and src[i + 2].isdigit():
                    continue
                self.advance(len(op))
                return Token("OP", op, line, col, i, self.i)
        self.advance()
        return Token("OP", ch, line, col, i, self.i)

    def _string(self) -> Token:
        src = self.src
        line, col, start = self.line, self.col, self.i
        closers = '"' if src[self.i] == '"' else QUOTES  # “curly” quotes pasted from documents
        self.advance()
        parts: list = []
        buf: list[str] = []
        while True:
            if self.i >= len(src):
                raise self.error("unterminated string", line, col)
            ch = src[self.i]
            if ch in closers:
                self.advance()
                break
            if ch == "\\" and self.i + 1 < len(src):
                nxt = src[self.i + 1]
                mapped = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$",
                          "'": "'"}.get(nxt)
                buf.append(mapped if mapped is not None else "\\" + nxt)
                self.advance(2)
                continue
            if ch == "$" and src.startswith("${", self.i) and not src.startswith("${{", self.i):
                end = _interp_end(src, self.i + 2)
                if end is not None:
                    if buf:
                        parts.append("".join(buf))
                        buf = []
                    self.advance(2)
                    parts.append(Interp(src[self.i:end], self.line, self.col))
                    self.advance(end + 1 - self.i)
                    continue
            buf.append(ch)
            self.advance()
        if buf or not parts:
            parts.append("".join(buf))
        return Token("STR", src[start:self.i], line, col, start, self.i, parts)


def _interp_end(src: str, i: int) -> int | None:
    """Index of the ``}`` closing a ``${`` whose expression starts at ``i``; strings inside the
    expression (``${FORMAT(x, "#,##0")}``) are skipped. None when it does not close on the same
    line."""
    depth = 0
    n = len(src)
    while i < n:
        ch = src[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        elif ch == '"':
            i += 1
            while i < n and src[i] != '"':
                if src[i] == "\\":
                    i += 1
                elif src[i] == "\n":
                    return None
                i += 1
            if i >= n:
                return None
        elif ch == "\n":
            return None
        i += 1
    return None


def split_template(text: str, line: int, col: int) -> list:
    """Split raw text into ``str`` and :class:`Interp` parts (used for raw-block bodies)."""
    parts: list = []
    buf_start = 0
    i = 0
    cur_line, cur_col = line, col
    while i < len(text):
        if text.startswith("${", i):
            end = _interp_end(text, i + 2)
            if end is not None:
                if i > buf_start:
                    parts.append(text[buf_start:i])
                parts.append(Interp(text[i + 2:end], cur_line, cur_col + 2))
                cur_col += end + 1 - i
                i = end + 1
                buf_start = i
                continue
        if text[i] == "\n":
            cur_line += 1
            cur_col = 1
        else:
            cur_col += 1
        i += 1
    if buf_start < len(text) or not parts:
        parts.append(text[buf_start:])
    return parts


def _update_set(tokens: list[Token]) -> bool:
    """``UPDATE "t" SET a = 1,`` / ``b = 2``: its ``name = value`` lines are not statements."""
    return tokens[0].is_word("UPDATE") and any(t.is_word("SET") for t in tokens[1:4])


def _is_data_statement(tokens: list[Token]) -> bool:
    """An UPDATE / DELETE / FIND statement, which a ``WHERE`` line may continue."""
    return tokens[0].is_word("UPDATE", "DELETE", "FIND") or any(t.is_word("FIND") for t in tokens[:4])


def _merge_lines(lines: list[LogicalLine]) -> list[LogicalLine]:
    """Join a line that starts with a binary operator, or an LLM ``WITH option`` line, onto
    the statement before it."""
    merged: list[LogicalLine] = []
    for ll in lines:
        first = ll.tokens[0]
        if merged and merged[-1].tokens[0].kind != "RAW" and first.kind != "RAW":
            prev = merged[-1].tokens
            joins = (first.kind == "OP" and first.text in LEADING_CONTINUATION) or \
                first.is_word("AND", "OR") or (first.is_word("WHERE") and _is_data_statement(prev))
            if not joins and first.is_word("WITH") and len(ll.tokens) > 2:
                joins = ll.tokens[1].upper in LLM_OPTION_WORDS and any(
                    t.is_word("LLM") for t in prev)
            if joins:
                merged[-1] = LogicalLine(prev + ll.tokens)
                continue
        merged.append(ll)
    return merged


def tokenize(source: str) -> list[LogicalLine]:
    """The logical statements of ``source``; raises ``BasicSyntaxError``."""
    return Lexer(source).logical_lines()


def tokenize_fragment(text: str, line: int, col: int) -> list[Token]:
    """Tokens of an expression fragment (``${...}`` text) placed at ``line``/``col``."""
    lexer = Lexer(text, line, col, raw_blocks=False)
    return [t for ll in lexer.logical_lines() for t in ll.tokens]
