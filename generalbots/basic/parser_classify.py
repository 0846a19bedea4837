"""Word classification: lexer tokens -> the terminals of ``grammar.lark``.

Keywords are contextual, so a word's terminal depends on where it stands: in operand position a
word may start a keyword expression (``x = LIST "folder"``) or be TRUE/FALSE/NULL/NOT; in infix
position it may be an operator (AND, MOD, CONTAINS, IS [NOT] NULL) or a clause word (AS, WHERE,
WITH, TO, TIMEOUT); after ``.`` it is always a member name (``x.count``). Anything else is NAME.
"""

from __future__ import annotations

from typing import Callable

from lark.lexer import Token as LarkToken

from . import ast
from .parser_helpers import open_depth
from .tokens import Token

# Keyword-expression heads: canonical keyword -> terminal.
KEYWORD_HEADS: dict[tuple[str, ...], str] = {
    ("GET", "BOT", "MEMORY"): "KW1", ("GET", "USER", "MEMORY"): "KW1",
    ("GROUP", "BY"): "KWN", ("WAIT", "FOR", "EVENT"): "KWWAIT",
    ("GET",): "KW1", ("REWRITE",): "KW1", ("RECALL",): "KW1", ("READ",): "KW1",
    ("LIST",): "KW1", ("FIRST",): "KW1", ("LAST",): "KW1",
    ("POST",): "KWN", ("PUT",): "KWN", ("PATCH",): "KWN", ("DELETE",): "KWN",
    ("UPLOAD",): "KWN", ("DOWNLOAD",): "KWN", ("AGGREGATE",): "KWN", ("FILTER",): "KWFILTER",
    ("MERGE",): "KWN",
    ("FIND",): "KWFIND", ("LLM",): "KWLLM", ("FORMAT",): "KWFORMAT",
    ("DELEGATE",): "KWDELEGATE", ("CALL",): "KWCALL",
    ("GET", "IMAGE"): "KW1", ("ANALYZE", "SENTIMENT"): "KW1", ("GENERATE", "CODE"): "KW1",
    ("DIR",): "KW1", ("GET", "SESSION"): "KW1", ("QUERY",): "KW1",
    ("SEARCH", "PRODUCTS"): "KWN", ("PRODUCT",): "KW1", ("SEE",): "KW1",
    ("SCAN", "BARCODE"): "KW1", ("CACHE", "GET"): "KW1", ("GRAPHQL",): "KWN",
    ("SOAP",): "KWN",
    ("ANSWER",): "KWLLM",
}
# heads that are keywords only before a text (``ANSWER "question"``; ``answer`` is a variable)
TEXT_ONLY_HEADS = {("ANSWER",)}
# Noise words some scripts write after a keyword: FIND ALL "t" (FIND), DELETE HTTP url (DELETE)
NOISE_AFTER = {("FIND",): "ALL", ("DELETE",): "HTTP"}
# One-value heads that take a comma list when they stand outside brackets: GET SESSION sid, "k",
# ANALYZE SENTIMENT sid, text, FIRST list, 3 (inside {"k": GET SESSION "x", ...} the comma is
# the object's).
LIST_AT_TOP = {("GET", "SESSION"), ("ANALYZE", "SENTIMENT"), ("FIRST",), ("LAST",)}
# Keyword expressions without arguments (``stats = KB STATISTICS``).
NULLARY_HEADS = {("KB", "STATISTICS")}
# ``NAME(args)`` calls that mean the keyword expression (``GET(url)``, ``LLM("...")``).
CALL_AS_KEYWORD = {"GET", "POST", "PUT", "PATCH", "DELETE", "FIND", "LLM", "REWRITE", "RECALL",
                   "AGGREGATE", "UPLOAD", "DOWNLOAD", "GRAPHQL"}
# ``NAME()`` calls that read the run's own context from the host (keyword expressions)
CONTEXT_CALLS = {"SESSION_ID", "BOT_ID", "USER_ID"}
# Keyword heads that are really builtin functions.
BUILTIN_HEADS = {"FIRST", "LAST", "FILTER", "FORMAT"}
INFIX_WORDS = {"AND", "OR", "MOD", "CONTAINS", "LIKE", "IS", "AS", "WHERE", "WITH", "TO",
               "TIMEOUT", "THEN", "ELSE", "STEP", "IN", "DO", "BY"}
OPERAND_END = {"NAME", "LIT", "RPAR", "RSQB", "RBRACE", "KWNEW", "KW0", "ISNULL", "ISNOTNULL", "SORTDIR"}
EVENT_NAME_OPS = {".", ":", "-"}

_PUNCT = {
    "(": ("LPAR", "("), ")": ("RPAR", ")"), "[": ("LSQB", "["), "]": ("RSQB", "]"),
    "{": ("LBRACE", "{"), "#{": ("MAPOPEN", "#{"), "}": ("RBRACE", "}"), ",": ("COMMA", ","),
    ":": ("COLON", ":"), ".": ("DOT", "."), "?.": ("QDOT", "?."), "?": ("QMARK", "?"),
    "??": ("OROP", "??"), "||": ("OROP", "or"), "&&": ("ANDOP", "and"),
    "=": ("CMPOP", "="), "==": ("CMPOP", "="), "<>": ("CMPOP", "<>"), "!=": ("CMPOP", "<>"),
    "<": ("CMPOP", "<"), ">": ("CMPOP", ">"), "<=": ("CMPOP", "<="), ">=": ("CMPOP", ">="),
    "+": ("PLUS", "+"), "-": ("MINUS", "-"), "&": ("AMP", "&"), "*": ("MULOP", "*"),
    "/": ("MULOP", "/"), "%": ("MULOP", "mod"), "^": ("POW", "^"), "!": ("NOT", "not"),
}
_INFIX_WORD_TERMINALS = {
    "AND": ("ANDOP", "and"), "OR": ("OROP", "or"), "MOD": ("MULOP", "mod"),
    "CONTAINS": ("CMPOP", "contains"), "LIKE": ("CMPOP", "like"), "AS": ("AS", "AS"),
    "WHERE": ("WHERE", "WHERE"), "TIMEOUT": ("TIMEOUT", "TIMEOUT"),
}


COMPOUND_WORDS = {
    "ENDIF": ["END", "IF"], "ELSEIF": ["ELSE", "IF"], "ENDWHILE": ["END", "WHILE"],
    "ENDSELECT": ["END", "SELECT"], "ENDSUB": ["END", "SUB"], "ENDFUNCTION": ["END", "FUNCTION"],
    "ENDWITH": ["END", "WITH"], "ENDFOR": ["END", "FOR"], "ENDSWITCH": ["END", "SWITCH"],
}


def words_of(tok: Token) -> list[str]:
    """Upper-case words of a WORD token, ``_`` read as a space (``SET_BOT_MEMORY``) and the
    one-word closers split (``ENDIF``, ``ELSEIF``)."""
    words: list[str] = []
    for w in tok.text.upper().split("_"):
        if w:
            words.extend(COMPOUND_WORDS.get(w, [w]))
    return words


def match_words(tokens: list[Token], i: int, phrases) -> tuple[tuple[str, ...], int] | None:
    """Longest phrase of ``phrases`` (tuples of upper words) starting at ``tokens[i]``;
    returns ``(phrase, tokens consumed)``. Underscored words count as several words."""
    seq: list[tuple[str, int]] = []
    j = i
    while j < len(tokens) and tokens[j].kind == "WORD" and len(seq) < 5:
        for w in words_of(tokens[j]) or ["_"]:
            seq.append((w, j - i + 1))
        j += 1
    best = None
    for n in range(len(seq), 0, -1):
        phrase = tuple(w for w, _ in seq[:n])
        if phrase in phrases:
            # a phrase must end on a token boundary
            if n == len(seq) or seq[n][1] != seq[n - 1][1]:
                best = (phrase, seq[n - 1][1])
                break
    return best


def _lt(type_: str, value, tok: Token, index: int) -> LarkToken:
    return LarkToken(type_, value, index, tok.line, tok.col)


def _starts_operand(tokens: list[Token], i: int, allow_paren: bool) -> bool:
    if i >= len(tokens):
        return False
    t = tokens[i]
    if t.kind in ("NUM", "STR"):
        return True
    if t.kind == "WORD":
        return t.upper not in INFIX_WORDS
    if t.text == "[" and i and tokens[i - 1].end == t.pos:
        return False  # list[0]: an item of a variable named like a keyword
    return t.text in ("[", "{", "#{") or (allow_paren and t.text == "(")


def event_name(tokens: list[Token], i: int) -> tuple[ast.Expr | None, int]:
    """A bare event name (letters, digits and ``_ . : -``, written without spaces) at
    ``tokens[i]`` as a string Literal, and the index after it; ``(None, i)`` if none."""
    if i >= len(tokens) or tokens[i].kind not in ("WORD", "NUM"):
        return None, i
    j = i + 1
    while j < len(tokens) and tokens[j].pos == tokens[j - 1].end and (
            tokens[j].kind in ("WORD", "NUM") or tokens[j].text in EVENT_NAME_OPS):
        j += 1
    text = "".join(t.text for t in tokens[i:j])
    return ast.Literal(text, line=tokens[i].line, col=tokens[i].col), j


def classify(tokens: list[Token],
             string_node: Callable[[list, int, int], ast.Expr]) -> list[LarkToken]:
    """Lexer tokens -> grammar terminals (see the module docstring). ``string_node`` turns a
    string's parts into its node; the caller (``parser_expressions``) passes it in because a
    ``${}`` interpolation parses an expression again, which is that module's job."""
    out: list[LarkToken] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        prev = out[-1].type if out else None
        infix = prev in OPERAND_END
        if tok.kind == "NUM":
            out.append(_lt("LIT", ast.Literal(tok.value, line=tok.line, col=tok.col), tok, i))
        elif tok.kind == "STR":
            out.append(_lt("LIT", string_node(tok.value, tok.line, tok.col), tok, i))
        elif tok.kind == "OP":
            type_, value = _PUNCT.get(tok.text, ("BAD", tok.text))
            out.append(_lt(type_, value, tok, i))
        elif tok.kind != "WORD":
            out.append(_lt("BAD", tok.text, tok, i))
        elif prev in ("DOT", "QDOT"):
            out.append(_lt("NAME", tok.text, tok, i))
        elif infix:
            i = _classify_infix_word(tokens, i, out)
            continue
        else:
            i = _classify_operand_word(tokens, i, out)
            continue
        i += 1
    return out


def _classify_infix_word(tokens: list[Token], i: int, out: list[LarkToken]) -> int:
    tok, up = tokens[i], tokens[i].upper
    nxt = tokens[i + 1].upper if i + 1 < len(tokens) else ""
    if up == "IS":
        if nxt == "NULL":
            out.append(_lt("ISNULL", "is null", tok, i))
            return i + 2
        if nxt == "NOT" and i + 2 < len(tokens) and tokens[i + 2].upper == "NULL":
            out.append(_lt("ISNOTNULL", "is not null", tok, i))
            return i + 3
        out.append(_lt("CMPOP", "=", tok, i))
        return i + 1
    if up in _INFIX_WORD_TERMINALS:
        type_, value = _INFIX_WORD_TERMINALS[up]
        out.append(_lt(type_, value, tok, i))
        return i + 1
    if up in ("STARTS", "ENDS") and nxt == "WITH":  # a STARTS WITH "x"
        out.append(_lt("CMPOP", f"{up.lower()} with", tok, i))
        return i + 2
    if up == "ORDER" and nxt == "BY":  # FIND "t" ORDER BY col [DESC]
        out.append(_lt("ORDERBY", "ORDER BY", tok, i))
        return i + 2
    in_find = any(t.type == "KWFIND" for t in out)
    if up == "LIMIT" and in_find:  # FIND "t" WHERE a = b ORDER BY c LIMIT 10
        out.append(_lt("LIMIT", "LIMIT", tok, i))
        return i + 1
    if up == "FIRST" and in_find and i == len(tokens) - 1:  # FIND "t" WHERE a = b FIRST
        out.append(_lt("FINDFIRST", "FIRST", tok, i))
        return i + 1
    if up in ("FIRST", "LAST") and in_find and i == len(tokens) - 2 and \
            tokens[i + 1].kind == "NUM":  # FIND "t" ORDER BY c FIRST 5 / LAST 5
        out.append(_lt("LIMIT", up, tok, i))
        return i + 1
    if up in ("DESC", "ASC", "DESCENDING", "ASCENDING") and any(
            t.type == "ORDERBY" for t in out):
        out.append(_lt("SORTDIR", up[:3] == "DES", tok, i))
        return i + 1
    if up == "WITH" and i + 1 < len(tokens) and tokens[i + 1].kind == "STR":
        out.append(_lt("WITH", "WITH", tok, i))  # FIND "t" WITH "filter"
        return i + 1
    if up == "TO":
        out.append(_lt("TO", "TO", tok, i))
        return i + 2 if nxt == "BOT" else i + 1
    if up == "WITH" and i + 1 < len(tokens) and tokens[i + 1].kind == "WORD":
        out.append(_lt("WITH", "WITH", tok, i))
        words = words_of(tokens[i + 1])
        consumed = 2
        if words == ["OPTIMIZE"] and i + 2 < len(tokens) and tokens[i + 2].upper == "FOR":
            words, consumed = ["OPTIMIZE", "FOR"], 3
        elif words == ["MAX"] and i + 2 < len(tokens) and tokens[i + 2].upper in ("COST", "LATENCY"):
            words, consumed = ["MAX", tokens[i + 2].upper], 3
        name = " ".join(w.lower() for w in words)
        if name.startswith("max "):
            name = name.replace(" ", "_")
        out.append(_lt("LLMOPT", name, tokens[i + 1], i + 1))
        return i + consumed
    out.append(_lt("NAME", tok.text, tok, i))
    return i + 1


def _paren_then(tokens: list[Token], i: int, word: str) -> bool:
    """``FORMAT (a - b) AS "mask"``: a ``(`` at ``i`` whose ``)`` is followed by ``word``."""
    if i >= len(tokens) or not tokens[i].is_op("("):
        return False
    depth = 0
    for k in range(i, len(tokens)):
        depth += tokens[k].is_op("(") - tokens[k].is_op(")")
        if depth == 0:
            return k + 1 < len(tokens) and tokens[k + 1].is_word(word)
    return False


def _classify_operand_word(tokens: list[Token], i: int, out: list[LarkToken]) -> int:
    tok, up = tokens[i], tokens[i].upper
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    called = nxt is not None and nxt.text == "(" and nxt.kind == "OP"
    if up in ("TRUE", "FALSE", "NULL") and not called:
        value = {"TRUE": True, "FALSE": False, "NULL": None}[up]
        out.append(_lt("LIT", ast.Literal(value, line=tok.line, col=tok.col), tok, i))
        return i + 1
    if up == "NOT":  # NOT (a = b) is the operator, never a function call
        out.append(_lt("NOT", "not", tok, i))
        return i + 1
    if up in ("NEW", "CREATE") and nxt is not None and nxt.upper in ("OBJECT", "ARRAY"):
        out.append(_lt("KWNEW", nxt.upper, tok, i))
        j = i + 2
        if j + 1 < len(tokens) and tokens[j].text == "(" and tokens[j + 1].text == ")":
            j += 2
        return j
    nullary = match_words(tokens, i, NULLARY_HEADS)
    if nullary:
        out.append(_lt("KW0", " ".join(nullary[0]), tok, i))
        return i + nullary[1]
    found = match_words(tokens, i, KEYWORD_HEADS)
    if found and found[0] in TEXT_ONLY_HEADS and not (
            i + found[1] < len(tokens) and tokens[i + found[1]].kind == "STR"):
        found = None
    if found:
        phrase, used = found
        multi = len(phrase) > 1
        if _starts_operand(tokens, i + used, allow_paren=multi) or (
                phrase == ("WAIT", "FOR", "EVENT")) or (
                phrase == ("FORMAT",) and _paren_then(tokens, i + used, "AS")):
            keyword = " ".join(phrase)
            terminal = KEYWORD_HEADS[phrase]
            if phrase == ("GET",) and i + 2 < len(tokens) and tokens[i + 1].kind == "STR" and \
                    tokens[i + 1].value == ["config"] and tokens[i + 2].is_op(","):
                terminal = "KWN"  # GET "config", "key": two values
            if phrase in LIST_AT_TOP and open_depth(tokens, i) == 0:
                terminal = "KWN"
            if phrase == ("CALL",) and tokens[i + used].kind == "STR":
                terminal, keyword = "KWN", "CALL API"  # {"k": CALL "/api/x", {...}}
            out.append(_lt(terminal, keyword, tok, i))
            j = i + used
            if phrase in NOISE_AFTER and tokens[j].upper == NOISE_AFTER[phrase] and \
                    _starts_operand(tokens, j + 1, allow_paren=False):
                j += 1
            if phrase in (("WAIT", "FOR", "EVENT"),) and j < len(tokens) and tokens[j].kind != "STR":
                name, k = event_name(tokens, j)
                if name is not None:
                    out.append(_lt("LIT", name, tokens[j], j))
                    return k
            return j
    out.append(_lt("NAME", tok.text, tok, i))
    return i + 1
