"""Block statements: IF, FOR / FOR EACH, DO / WHILE, SELECT CASE / SWITCH, SUB / FUNCTION,
WITH, and the one-line control statements (EXIT, RETURN, ON ERROR, GOTO, WAIT ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast
from .parser_forms import as_pairs, unknown
from .parser_helpers import Open, find_word, split_commas, split_words, stmt_pos, top_level
from .tokens import Token

if TYPE_CHECKING:
    from .parser import Parser


def _open(kind: str, end: str, closers: set[str], at: Token) -> Open:
    return Open(kind, end, frozenset(closers), at.line)


def _strip_end_if(toks: list[Token]) -> list[Token]:
    if len(toks) >= 2 and toks[-2].is_word("END") and toks[-1].is_word("IF"):
        return toks[:-2]
    if toks and toks[-1].is_word("ENDIF"):
        return toks[:-1]
    return toks


def _condition(p: Parser, toks: list[Token], used: int):
    """``<cond> [THEN] [tail]`` after the IF / ELSE IF words: (cond, tail tokens)."""
    rest = toks[used:]
    k = find_word(rest, "THEN")
    cond_toks, tail = (rest, []) if k is None else (rest[:k], rest[k + 1:])
    return p.expr(cond_toks, toks[used - 1]), tail


def if_stmt(p: Parser, toks: list[Token], used: int):
    brace = next((t for t in toks[used:] if t.is_op("{")), None)
    if brace is not None and find_word(toks, "THEN") is None:
        raise p.error("braces are JavaScript, not BASIC: write IF condition THEN ... END IF",
                      brace)
    cond, tail = _condition(p, toks, used)
    tail = _strip_end_if(tail)
    if tail and find_word(tail, "ELSE") is None and _dangling_end_if(p):
        # "IF c THEN stmt" + lines + END IF (older scripts): a block whose body starts on the line
        p.lines.insert(p.i, type(p.lines[0])(tail))
        tail = []
    if tail:  # single-line IF c THEN stmt [ELSE stmt]
        k = find_word(tail, "ELSE")
        then_toks, else_toks = (tail, None) if k is None else (tail[:k], tail[k + 1:])
        branch = ast.IfBranch(cond, tuple(p.statement(then_toks)), **stmt_pos(toks[0]))
        otherwise = tuple(p.statement(else_toks)) if else_toks is not None else None
        return ast.If((branch,), otherwise, **stmt_pos(toks[0]))
    open_ = _open("IF", "END IF", {"ELSE IF", "ELSE", "END IF"}, toks[0])
    branches: list[ast.IfBranch] = []
    at, otherwise = toks[0], None
    while True:
        body, ll, closer, n = p.parse_block(open_)
        branches.append(ast.IfBranch(cond, body, **stmt_pos(at)))
        if closer == "END IF":
            break
        at = ll.tokens[0]
        if closer == "ELSE IF":
            cond, tail = _condition(p, ll.tokens, n)
            if tail:  # "ELSE IF c THEN stmt" with more lines below: first statement of the arm
                p.lines.insert(p.i, type(ll)(tail))
            continue
        rest = ll.tokens[n:]
        if rest:
            p.lines.insert(p.i, type(ll)(rest))
        open_ = _open("IF", "END IF", {"END IF"}, toks[0])
        otherwise, _, _, _ = p.parse_block(open_)
        break
    return ast.If(tuple(branches), otherwise, **stmt_pos(toks[0]))


def _line_kind(p: Parser, ll) -> int:
    """1: a block IF opener, 2: END IF, 3: another closer, 4: a one-line IF (which may own an
    END IF too), 0: anything else (cached)."""
    key = id(ll)
    cache = p.cache.setdefault("if_kinds", {})
    if key not in cache:
        toks, kind = ll.tokens, 0
        closer = p.closer_of(ll)
        if closer is not None:
            kind = 2 if closer[0] == "END IF" else 3
        elif toks[0].is_word("IF"):
            k = find_word(toks, "THEN")
            tail = [] if k is None else _strip_end_if(toks[k + 1:])
            kind = 1 if not tail else (4 if find_word(tail, "ELSE") is None else 0)
        cache[key] = (kind, ll)
    return cache[key][0]


def _dangling_end_if(p: Parser) -> bool:
    """Does an END IF that no block IF claims follow, before the enclosing block ends?"""
    counts = p.cache.get("if_balance")
    if counts is None:
        kinds = [_line_kind(p, ll) for ll in p.lines]
        counts = p.cache["if_balance"] = (kinds.count(1), kinds.count(2))
    if counts[1] <= counts[0]:
        return False  # every END IF in the file has its IF
    open_ifs = 0
    for o in reversed(p.stack):
        if o.kind != "IF":
            break
        open_ifs += 1
    depth = unmatched = pending = 0
    for ll in p.lines[p.i:]:
        kind = _line_kind(p, ll)
        if kind == 1:
            depth += 1
        elif kind == 4 and depth == 0:
            pending += 1  # a later one-line IF claims the next unmatched END IF first
        elif kind == 2:
            if depth:
                depth -= 1
            elif pending:
                pending -= 1
            else:
                unmatched += 1
                if unmatched > open_ifs:
                    return True
        elif kind == 3 and depth == 0 and p.stack and p.stack[-1].kind != "IF":
            name = p.closer_of(ll)[0]
            if name in p.stack[-1].closers:
                return False
    return False


def for_stmt(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    each = bool(rest) and rest[0].is_word("EACH")
    if each:
        rest = rest[1:]
    if not rest or rest[0].kind != "WORD":
        raise p.error("expected a variable after FOR", toks[used - 1])
    var = rest[0]
    open_ = _open("FOR", "NEXT", {"NEXT", "END FOR"}, toks[0])
    if each or (len(rest) > 1 and rest[1].is_word("IN")):
        if len(rest) < 2 or not rest[1].is_word("IN"):
            raise p.error(f"expected IN after FOR EACH {var.text}", rest[1] if len(rest) > 1 else var)
        seq = rest[2:]
        if seq and seq[-1].is_word("DO"):
            seq = seq[:-1]
        last = None  # FOR EACH m IN history LAST 10: the last 10 items
        if len(seq) > 2 and seq[-2].is_word("LAST", "FIRST") and seq[-1].kind == "NUM":
            last, seq = seq[-2:], seq[:-2]
        iterable = p.expr(seq, rest[1])
        if last is not None:
            iterable = ast.Call(last[0].upper, (iterable, p.expr(last[1:])),
                                line=last[0].line, col=last[0].col)
        body, _, _, _ = p.parse_block(open_)
        return ast.ForEach(var.text, iterable, body, **stmt_pos(toks[0]))
    if len(rest) < 2 or not rest[1].is_op("="):
        raise p.error(f"expected '=' or IN after FOR {var.text}", rest[1] if len(rest) > 1 else var)
    head, clauses = split_words(rest[2:], {"TO", "STEP"})
    if "TO" not in clauses:
        raise p.error("expected TO in FOR i = start TO end", toks[0])
    start = p.expr(head, rest[1])
    end = p.expr(clauses["TO"], toks[0])
    step = p.expr(clauses["STEP"], toks[0]) if "STEP" in clauses else None
    body, _, _, _ = p.parse_block(open_)
    return ast.ForRange(var.text, start, end, step, body, **stmt_pos(toks[0]))


def _loop_condition(p: Parser, toks: list[Token]):
    """``WHILE c`` / ``UNTIL c`` / nothing -> (cond, until)."""
    if not toks:
        return None, False
    if toks[0].is_word("WHILE", "UNTIL"):
        return p.expr(toks[1:], toks[0]), toks[0].is_word("UNTIL")
    raise p.error(f"expected WHILE or UNTIL, found '{toks[0].text}'", toks[0])


def do_stmt(p: Parser, toks: list[Token], used: int):
    cond, until = _loop_condition(p, toks[used:])
    body, ll, _, n = p.parse_block(_open("DO", "LOOP", {"LOOP"}, toks[0]))
    post, post_until = _loop_condition(p, ll.tokens[n:])
    if post is not None and cond is None:
        return ast.Loop(post, post_until, True, body, **stmt_pos(toks[0]))
    return ast.Loop(cond, until, False, body, **stmt_pos(toks[0]))


def while_stmt(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if len(rest) > 1 and rest[-1].is_word("DO"):  # WHILE c DO
        rest = rest[:-1]
    cond = p.expr(rest, toks[0])
    body, _, _, _ = p.parse_block(_open("WHILE", "WEND", {"WEND", "END WHILE", "LOOP"}, toks[0]))
    return ast.Loop(cond, False, False, body, **stmt_pos(toks[0]))


def select_stmt(p: Parser, toks: list[Token], used: int):
    kind = "SWITCH" if toks[0].is_word("SWITCH") else "SELECT CASE"
    subject = p.expr(toks[used:], toks[used - 1])
    closers = {"CASE", "CASE ELSE", "DEFAULT", "CASE DEFAULT", "END SELECT", "END SWITCH"}
    open_ = _open(kind, "END SELECT" if kind == "SELECT CASE" else "END SWITCH", closers, toks[0])
    body, ll, closer, n = p.parse_block(open_)
    if body:
        raise p.error(f"only CASE lines may follow {kind}", body[0])
    cases: list[ast.Case] = []
    otherwise = None
    while closer not in ("END SELECT", "END SWITCH"):
        rest = ll.tokens[n:]
        colon = next((k for k, t in top_level(rest) if t.is_op(":")), None)
        if colon is not None:  # CASE 1: TALK "one"
            if rest[colon + 1:]:
                p.lines.insert(p.i, type(ll)(rest[colon + 1:]))
            rest = rest[:colon]
        at = ll.tokens[0]
        if closer == "CASE":
            values = p.exprs(rest)
            if not values:
                raise p.error("expected a value after CASE", at)
            if find_word(rest, "TO", "IS") is not None:
                raise p.error("CASE ranges and CASE IS are not supported; use IF", at)
        body, ll, next_closer, n = p.parse_block(open_)
        if closer == "CASE":
            cases.append(ast.Case(tuple(values), body, **stmt_pos(at)))
        else:
            otherwise = body
        closer = next_closer
    return ast.SelectCase(subject, tuple(cases), otherwise, **stmt_pos(toks[0]))


def routine(p: Parser, toks: list[Token], used: int):
    kind = "function" if toks[0].is_word("FUNCTION") else "sub"
    rest = toks[used:]
    if not rest or rest[0].kind != "WORD":
        raise p.error(f"expected a name after {kind.upper()}", toks[0])
    name, rest = rest[0], rest[1:]
    if rest and rest[0].is_op("("):
        close = next((k for k, t in enumerate(rest) if t.is_op(")")), None)
        if close is None:
            raise p.error("missing ')'", rest[0])
        rest = rest[1:close]
    params: list[str] = []
    for part in split_commas(rest):
        words = [t for t in part if t.kind == "WORD"]
        while words and words[0].upper in ("BYVAL", "BYREF", "OPTIONAL", "PARAMARRAY"):
            words = words[1:]
        if not words or words[0].upper == "AS":
            if part and part[0].is_word("AS"):
                break  # "FUNCTION f AS type": the return type
            raise p.error("expected a parameter name", part[0])
        params.append(words[0].text)
    end = "END FUNCTION" if kind == "function" else "END SUB"
    body, _, _, _ = p.parse_block(_open(kind.upper(), end, {"END SUB", "END FUNCTION"}, toks[0]))
    return ast.Routine(kind, name.text, tuple(params), body, **stmt_pos(toks[0]))


def with_block(p: Parser, toks: list[Token], used: int):
    target = p.target(toks[used:], toks[0])
    items: list[tuple[str, ast.Expr]] = []
    while True:
        ll = p.peek()
        if ll is None:
            raise p.error(f"WITH without END WITH (opened at line {toks[0].line})",
                          p.lines[-1].tokens[-1])
        p.i += 1
        line = ll.tokens
        if line[0].is_word("END") and len(line) > 1 and line[1].is_word("WITH") or \
                line[0].is_word("ENDWITH"):
            break
        if line[0].is_op("."):
            line = line[1:]
        if len(line) < 3 or line[0].kind not in ("WORD", "STR") or not line[1].is_op("=", ":"):
            raise p.error("inside WITH ... END WITH, expected 'name = value'", line[0])
        key = line[0].text if line[0].kind == "WORD" else p.expr(line[:1]).value
        items.append((key, p.expr(line[2:], line[1])))
    return ast.WithBlock(target, tuple(items), **stmt_pos(toks[0]))


# --------------------------------------------------------------------------------------------
# One-line control statements

EXITS = {"FOR": "for", "DO": "do", "WHILE": "while", "LOOP": "loop", "SUB": "sub",
         "FUNCTION": "function", "SCRIPT": "script"}


def exit_stmt(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if not rest:
        return ast.Exit("script", **stmt_pos(toks[0]))
    kind = EXITS.get(rest[0].upper)
    if kind is None or len(rest) > 1:
        raise p.error("expected EXIT, EXIT FOR, EXIT DO, EXIT WHILE, EXIT SUB or EXIT FUNCTION",
                      rest[0])
    return ast.Exit(kind, **stmt_pos(toks[0]))


def break_stmt(p: Parser, toks: list[Token], used: int):
    if len(toks) > used:
        raise p.error("BREAK takes nothing after it", toks[used])
    return ast.Exit("loop", **stmt_pos(toks[0]))


def end_stmt(p: Parser, toks: list[Token], used: int):
    if len(toks) > used:
        word = toks[used].text.upper()
        raise p.error(f"END {word} without {'BEGIN ' + word if word != 'WORKFLOW' else word}",
                      toks[0])
    return ast.Exit("script", **stmt_pos(toks[0]))


def return_stmt(p: Parser, toks: list[Token], used: int):
    """``RETURN [e]``; ``RETURN WITH a AS x, b AS y`` returns the object ``{a: x, b: y}``."""
    rest = toks[used:]
    if len(rest) > 2 and rest[0].is_word("WITH") and rest[2].is_word("AS") or (
            len(rest) > 2 and rest[0].is_word("WITH") and rest[2].is_op("=")):
        return ast.Return(as_pairs(p, rest[1:]), **stmt_pos(toks[0]))
    value = p.expr(rest) if rest else None
    return ast.Return(value, **stmt_pos(toks[0]))


def on_error(p: Parser, toks: list[Token], used: int):
    words = [t.upper for t in toks[used:]]
    if words == ["RESUME", "NEXT"]:
        return ast.OnError("resume next", **stmt_pos(toks[0]))
    if len(words) == 2 and words[0] == "GOTO":
        if toks[used + 1].kind == "NUM" and toks[used + 1].value == 0:
            return ast.OnError("goto 0", **stmt_pos(toks[0]))
        return ast.OnError("goto", toks[used + 1].text, **stmt_pos(toks[0]))
    if len(toks) == used + 2 and toks[used].is_word("GOTO") and toks[used + 1].text == "0":
        return ast.OnError("goto 0", **stmt_pos(toks[0]))
    raise p.error("expected ON ERROR RESUME NEXT or ON ERROR GOTO 0", toks[0])


def throw(p: Parser, toks: list[Token], used: int):
    return ast.Throw(p.expr(toks[used:], toks[0]), **stmt_pos(toks[0]))


def goto(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if len(rest) != 1 or rest[0].kind not in ("WORD", "NUM"):
        raise p.error("expected a label after GOTO", toks[0])
    return ast.Goto(rest[0].text, **stmt_pos(toks[0]))


def wait(p: Parser, toks: list[Token], used: int):
    keyword = "DELAY" if toks[0].is_word("DELAY") else "WAIT"
    return ast.Wait(p.expr(toks[used:], toks[0]), keyword, **stmt_pos(toks[0]))


def call(p: Parser, toks: list[Token], used: int):
    rest = toks[used:]
    if rest and rest[0].kind == "STR":  # CALL "/crm/tickets", ...: the bot's HTTP API
        return ast.KeywordStmt("CALL API", p.exprs(rest), **stmt_pos(toks[0]))
    if not rest or rest[0].kind != "WORD":
        raise p.error("expected a SUB or FUNCTION name after CALL", toks[0])
    end = 1
    while end + 1 < len(rest) and rest[end].is_op("-") and rest[end].pos == rest[end - 1].end \
            and rest[end + 1].pos == rest[end].end and rest[end + 1].kind in ("WORD", "NUM"):
        end += 2  # CALL notify-admin: a script name with hyphens
    if end > 1:
        name = p.text(rest[:end])
        return ast.CallStmt(name, p.exprs(_unwrap(rest[end:])), **stmt_pos(toks[0]))
    args = rest[1:]
    if args and args[0].is_op("(") and args[-1].is_op(")"):
        node = p.expr(rest)
        if isinstance(node, ast.Call):
            return ast.CallStmt(node.name, node.args, **stmt_pos(toks[0]))
        if isinstance(node, ast.MethodCall):
            return ast.ExprStmt(node, **stmt_pos(toks[0]))
    if args and args[0].is_op("."):
        return ast.ExprStmt(p.expr(rest), **stmt_pos(toks[0]))
    return ast.CallStmt(rest[0].text, p.exprs(args), **stmt_pos(toks[0]))


def _unwrap(toks: list[Token]) -> list[Token]:
    if len(toks) >= 2 and toks[0].is_op("(") and toks[-1].is_op(")"):
        return toks[1:-1]
    return toks


def schedule_block(p: Parser, toks: list[Token], used: int):
    """``SCHEDULE IN 300 SECONDS DO`` ... ``END SCHEDULE`` (a block to run later, in some
    General Bots versions): its body is parsed and checked, the whole block is an unknown
    statement (a clear error naming ``SCHEDULE IN`` if it runs)."""
    if not toks[-1].is_word("DO"):
        return unknown(p, toks)
    p.parse_block(_open("SCHEDULE IN ... DO", "END SCHEDULE", {"END SCHEDULE"}, toks[0]))
    return unknown(p, toks)
