"""Keyword statements and expressions, HEAR, WAIT/DELAY and BEGIN ... END text blocks.

Each keyword maps to one host call (``keyword_calls.KEYWORDS``); its arguments are evaluated by
closures, then one instruction makes the host call, so any keyword may suspend.

Choices where BASIC.md is silent (the keyword calls' own are in ``keyword_calls``):

- ``FIND "t" WHERE a = 1 AND b = x`` passes ``where`` as the object ``{"a": 1, "b": x}``;
  ``FILTER list WHERE a > 1 AND b LIKE "x%"`` (any comparison, ``LIKE``, ``CONTAINS``) passes
  the tests as ``[[col, op, value], ...]``.
- BEGIN TALK / SYSTEM PROMPT / MAIL bodies lose their common indentation and surrounding
  blank lines.
- ``LIST TOOLS`` as a statement TALKs ``Tools: a, b`` (``Tools: none``); ``x = LIST TOOLS`` is
  the list of names.
- A keyword with no host method runs the builtin of the same name if there is one
  (``GROUP BY`` -> ``GROUP_BY``), else fails with ``KEYWORD is not supported`` when executed.
"""

from __future__ import annotations

import textwrap

from . import ast
from .builder import emit_effect
from .builtins import BUILTINS, call_builtin
from .errors import BasicRuntimeError
from .hear import MAX_TRIES, validate_answer
from .host import Suspend
from .frame import SuspendSignal
from .keyword_calls import KEYWORDS, max_values
from .values import check_list_size, to_number, to_text


class KeywordCompiler:
    """Compiles keyword statements/expressions, HEAR, WAIT and text blocks."""

    def __init__(self, cc):
        self.cc = cc

    def _call(self, ec, node):
        """A closure ``fr -> host result`` for keyword ``node``."""
        keyword = node.keyword
        line = node.line
        names = [a.name if type(a) is ast.Name else None for a in node.args]
        where_expr = dict(node.options).get("where")
        ops = COMPARISONS if keyword == "FILTER" else ("=",)
        options = [(k, v) for k, v in node.options if not (k == "where" and _is_filter(v, ops))]
        filt = _where_filter(ec, where_expr, ops) if where_expr is not None and \
            _is_filter(where_expr, ops) else None
        args = ec.values(list(node.args) + [v for _, v in options])
        n = len(node.args)
        opt_pairs = list(zip([k for k, _ in options], args[n:]))
        args = args[:n]
        handler = KEYWORDS.get(keyword)
        if handler is None:
            return self._builtin_or_fail(keyword, line, args)
        most = max_values(keyword)
        if most is not None and n > most:
            def too_many(fr):
                raise BasicRuntimeError(f"{keyword} takes at most {most} value"
                                        f"{'s' if most != 1 else ''}, got {n}", line=line)
            return too_many

        def call(fr):
            vals = [a(fr) for a in args]
            opts = {k: c(fr) for k, c in opt_pairs}
            if filt is not None:
                opts["where"] = filt(fr)
            return handler(fr.vm, line, vals, opts, names)
        return call

    def _builtin_or_fail(self, keyword, line, args):
        name = keyword.lower().replace(" ", "_")
        if name not in BUILTINS:
            name = keyword.lower().replace(" ", "")
        if name in BUILTINS:
            return lambda fr: call_builtin(name, [a(fr) for a in args], line=line,
                                           limits=fr.limits)

        def unsupported(fr):
            raise BasicRuntimeError(f"{keyword} is not supported", line=line)
        return unsupported

    def statement(self, b, ec, s) -> None:
        if s.keyword == "APPEND":
            self._append(b, ec, s)
            return
        if s.keyword == "LIST TOOLS":  # the statement shows the list; the value form returns it
            tools = self._call(ec, s)

            def talk_tools(fr):
                names = tools(fr)
                if isinstance(names, Suspend):
                    return names
                text = ", ".join(to_text(n) for n in names or []) or "none"
                return fr.vm.host_call(s.line, "talk", f"Tools: {text}")
            emit_effect(b, s.line, talk_tools)
            return
        emit_effect(b, s.line, self._call(ec, s))

    def emit_expr(self, ec, e) -> str:
        slot = ec.b.temp()

        def store(fr, v):
            fr.temps[slot] = v
        emit_effect(ec.b, e.line, self._call(ec, e), store)
        return slot

    def _append(self, b, ec, s) -> None:
        target = s.args[0] if s.args else None
        item = ec.value(s.args[1]) if len(s.args) > 1 else (lambda fr: None)
        if type(target) is ast.Name:
            read, write = ec.reader(target.name), ec.writer(target.name)
        else:
            read, write = (ec.value(target) if target is not None else (lambda fr: None)), None

        def make(pc, nxt, L):
            def append(fr):
                lst = read(fr)
                if lst is None and write is not None:
                    lst = []
                    write(fr, lst)
                if type(lst) is not list:
                    raise BasicRuntimeError("APPEND needs a list")
                lst.append(item(fr))
                check_list_size(lst, fr.limits)
                return nxt
            return append
        b.emit(s.line, make)

    def text_block(self, b, ec, s) -> None:
        text = ec.value(s.text)
        args = ec.values(s.args)
        kind = s.kind
        line = s.line

        def call(fr):
            body = textwrap.dedent(to_text(text(fr))).strip("\n")
            if kind == "TALK":
                return fr.vm.host_call(line, "talk", body)
            if kind == "SYSTEM PROMPT":
                return fr.vm.host_call(line, "system_prompt", body)
            subject, rest = "", body
            first, _, tail = body.partition("\n")
            if first.strip().lower().startswith("subject:"):
                subject, rest = first.strip()[8:].strip(), tail.strip("\n")
            to = args[0](fr) if args else None
            return fr.vm.host_call(line, "send_mail", to, subject, rest)
        emit_effect(b, line, call)

    def wait(self, b, ec, s) -> None:
        seconds = ec.value(s.seconds)
        line, keyword = s.line, s.keyword

        def call(fr):
            n = to_number(seconds(fr))
            if n < 0 or n > fr.limits.wait_seconds_max:
                raise BasicRuntimeError(f"{keyword} needs 0 to {int(fr.limits.wait_seconds_max)}"
                                        f" seconds, got {to_text(n)}")
            return fr.vm.host_call(line, "wait", n)
        emit_effect(b, line, call)

    def hear(self, b, ec, s) -> None:
        line = s.line
        prompt = ec.value(s.prompt) if s.prompt is not None else None
        choices = ec.values(s.choices)
        default = ec.value(s.default) if s.default is not None else (lambda fr: None)
        store = ec.store(s.target)
        type_name = (s.type_name or "ANY").upper()
        timeout = ec.value(s.timeout) if s.timeout is not None else None
        slot = b.temp("hear")

        def ask(fr):
            spec = fr.temps[slot]
            vm = fr.vm
            if spec["prompt"] is not None:
                vm.host_call(line, "talk", spec["prompt"])
            return vm.host_call(line, "hear", dict(spec))

        def start(fr):
            fr.temps[slot] = {"type": type_name, "choices": [to_text(c(fr)) for c in choices],
                              "prompt": None if prompt is None else to_text(prompt(fr)),
                              "attempt": 1}
            if timeout is not None:  # WAIT FOR RESPONSE ... TIMEOUT s
                fr.temps[slot]["timeout"] = to_number(timeout(fr))
            return ask(fr)

        def complete(fr, answer):
            while True:
                spec = fr.temps[slot]
                if answer is None:
                    value = default(fr)
                    break
                ok, value, message = validate_answer(type_name, answer, spec["choices"])
                if ok:
                    break
                if spec["attempt"] >= MAX_TRIES:
                    value = default(fr)
                    break
                spec["attempt"] += 1
                fr.vm.host_call(line, "talk", message)
                answer = ask(fr)
                if type(answer) is Suspend:
                    raise SuspendSignal(answer.wait)
            fr.temps.pop(slot, None)
            store(fr, value)
            return None
        emit_effect(b, line, start, complete)


# the column tests FILTER list WHERE ... accepts (FIND's WHERE goes to the host: equality only)
COMPARISONS = ("=", "<>", "<", ">", "<=", ">=", "like", "contains")


def _is_filter(e, ops=("=",)) -> bool:
    """``a = x [AND b = y ...]`` with plain column names on the left (``ops``: the tests)."""
    if type(e) is not ast.Binary:
        return False
    if e.op == "and":
        return _is_filter(e.left, ops) and _is_filter(e.right, ops)
    return e.op in ops and type(e.left) is ast.Name


def _where_filter(ec, e, ops=("=",)):
    """``{col: value}`` for equality tests; with other ``ops`` a list ``[col, op, value]``."""
    tests = []

    def collect(x):
        if x.op == "and":
            collect(x.left)
            collect(x.right)
        else:
            tests.append((x.left.name, x.op, ec.value(x.right)))
    collect(e)
    if ops == ("=",):
        return lambda fr: {k: c(fr) for k, _, c in tests}
    return lambda fr: [[k, op, c(fr)] for k, op, c in tests]
