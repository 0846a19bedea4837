"""Token helpers shared by the parser and its statement families: top-level scanning outside
brackets, clause splitting, the assignment shape of a line, node positions, and ``Open`` (an
open block on the parser's stack).

A leaf: it imports no parser module (an import-linter contract in ``.importlinter`` says so),
which is what keeps the parser modules free of import cycles.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import Token

OPEN = {"(", "[", "{", "#{"}
CLOSE = {")", "]", "}"}

# keywords that may be followed by a list literal (never variables indexed at statement start)
LIST_ARGUMENT_WORDS = {"TALK", "PRINT", "LOG", "RETURN", "THROW", "IF", "ELSEIF", "WHILE", "CASE",
                       "WAIT", "DELAY", "SAVE", "INSERT", "APPEND"}


@dataclass(slots=True)
class Open:
    """An open block: ``kind`` (IF, FOR ...), the closer that ends it, the closers it accepts."""

    kind: str
    end: str
    closers: frozenset[str]
    line: int


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


def split_commas(toks: list[Token]) -> list[list[Token]]:
    parts, start = [], 0
    for k, t in top_level(toks):
        if t.is_op(","):
            parts.append(toks[start:k])
            start = k + 1
    parts.append(toks[start:])
    return [part for part in parts if part]


def open_depth(toks: list[Token], i: int) -> int:
    """How many brackets are open before ``toks[i]``."""
    depth = 0
    for t in toks[:i]:
        if t.kind == "OP" and t.text in OPEN:
            depth += 1
        elif t.kind == "OP" and t.text in CLOSE:
            depth -= 1
    return depth


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


def stmt_pos(tok: Token) -> dict:
    return {"line": tok.line, "col": tok.col}


def case_style(word: str) -> str:
    """How a word is written: ``upper``, ``lower``, ``title`` or ``mixed`` (keywords are read by
    the letter case of the line's first word)."""
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    return "title" if word[:1].isupper() else "mixed"


def assignment_split(toks: list[Token]) -> int | None:
    """Index of the ``=`` (or ``+=`` ...) of an assignment-shaped line
    (``[LET|SET] target = e``), else None."""
    j = 0
    if toks[0].is_word("LET", "SET") and len(toks) > 2 and toks[1].kind == "WORD":
        j = 1
    if toks[j].kind != "WORD":
        return None
    if j + 1 < len(toks) and toks[j + 1].is_op("[") and toks[j].upper in LIST_ARGUMENT_WORDS:
        return None  # TALK [1, 2] = [1, 2]: a comparison, not an item of a list named TALK
    j += 1
    n = len(toks)
    while j < n:
        t = toks[j]
        if t.kind == "OP" and t.text in (".", "?.") and j + 1 < n and toks[j + 1].kind == "WORD":
            j += 2
        elif t.is_op("["):
            depth = 0
            while j < n:
                if toks[j].is_op("[", "(", "{", "#{"):
                    depth += 1
                elif toks[j].is_op("]", ")", "}"):
                    depth -= 1
                    if depth == 0:
                        break
                elif toks[j].is_op(",") and depth == 1:
                    return None  # a[1, 2] is a list literal after a keyword, not an index
                j += 1
            j += 1
        else:
            break
    if j < n and toks[j].is_op("=", "+=", "-=", "*=", "/=", "&="):
        return j
    return None
