"""Keyword statements and expressions, HEAR, WAIT/DELAY and BEGIN ... END text blocks.

Each keyword maps to one host method (see ``KEYWORDS``); its arguments are evaluated by
closures, then one instruction makes the host call, so any keyword may suspend.

Choices where BASIC.md is silent:

- ``GET x``: ``"session.k"`` reads session memory, ``http(s)://`` URLs are HTTP GET, anything
  else reads a file of the bot's storage. ``DELETE x``: a URL is HTTP DELETE, else a table.
- ``SAVE "t", a, b``: a single object argument is the row; otherwise the row maps each
  argument's variable name (lower case) to its value (``field2`` ... for non-variables).
- ``FIND "t" WHERE a = 1 AND b = x`` passes ``where`` as the object ``{"a": 1, "b": x}``.
- ``SEND EMAIL to, body`` has an empty subject; BEGIN MAIL takes a first line
  ``Subject: ...`` as the subject.
- BEGIN TALK / SYSTEM PROMPT / MAIL bodies lose their common indentation and surrounding
  blank lines.
- ``SET HEADER`` / ``CLEAR HEADERS`` only change the run's headers (kept in the state) that
  later HTTP calls send.
- A keyword with no host method runs the builtin of the same name if there is one
  (``GROUP BY`` -> ``GROUP_BY``), else fails with ``KEYWORD is not supported`` when executed.
"""

from __future__ import annotations

import textwrap

from . import ast
from .builder import emit_effect
from .builtins import BUILTINS, call_builtin
from .compile_closures import fold
from .errors import BasicRuntimeError
from .hear import MAX_TRIES, validate_answer
from .host import Suspend
from .frame import SuspendSignal
from .values import check_list_size, to_number, to_text


def _text(v) -> str:
    return to_text(v)


def _arg(args, i):
    return args[i] if len(args) > i else None


def _http_or(fallback):
    def run(vm, line, args, opts, names):
        target = _arg(args, 0)
        if type(target) is str and target.lower().startswith(("http://", "https://")):
            return vm.host_call(line, "http", "DELETE" if fallback == "delete" else "GET",
                                target, None, dict(vm.headers))
        if fallback == "get" and type(target) is str and target.lower().startswith("session."):
            return vm.host_call(line, "memory_get", "session", target[8:])
        if fallback == "get":
            return vm.host_call(line, "read_file", target)
        filt = _arg(args, 1) if len(args) > 1 else opts.get("where")
        return vm.host_call(line, "delete", target, filt)
    return run


def _http(method):
    return lambda vm, line, a, o, n: vm.host_call(line, "http", method, _arg(a, 0), _arg(a, 1),
                                                  dict(vm.headers))


def _save(vm, line, args, opts, names):
    values = args[1:]
    if len(values) == 1 and type(values[0]) is dict:
        row = values[0]
    else:
        row = {}
        for i, (v, name) in enumerate(zip(values, names[1:]), start=1):
            row[fold(name) if name else f"field{i}"] = v
    return vm.host_call(line, "save", _arg(args, 0), row)


def _update(vm, line, args, opts, names):
    if len(args) >= 3:
        return vm.host_call(line, "update", args[0], args[1], args[2])
    return vm.host_call(line, "update", _arg(args, 0), opts.get("where"), opts.get("set"))


def _send_email(vm, line, args, opts, names):
    if len(args) >= 3:
        return vm.host_call(line, "send_mail", args[0], args[1], args[2])
    return vm.host_call(line, "send_mail", _arg(args, 0), "", _arg(args, 1))


def _set_header(vm, line, args, opts, names):
    vm.headers[_text(_arg(args, 0))] = _arg(args, 1)


def _suggestion(vm, line, args, opts, names):
    if len(args) >= 2:
        return vm.host_call(line, "add_suggestion", args[1], args[0])
    return vm.host_call(line, "add_suggestion", _arg(args, 0), None)


def _context(vm, line, args, opts, names):
    if len(args) >= 2:
        return vm.host_call(line, "set_context", args[0], args[1])
    return vm.host_call(line, "set_context", None, _arg(args, 0))


def _simple(method, *convert):
    """A keyword whose arguments go to ``method`` positionally (``convert`` per position)."""
    def run(vm, line, args, opts, names):
        vals = list(args)
        for i, fn in enumerate(convert):
            if fn is not None and i < len(vals):
                vals[i] = fn(vals[i])
        return vm.host_call(line, method, *vals)
    return run


def _scoped(method, scope):
    return lambda vm, line, a, o, n: vm.host_call(line, method, scope, *a)


KEYWORDS = {
    "TALK": lambda vm, line, a, o, n: vm.host_call(line, "talk", _text(_arg(a, 0))),
    "TALK TO": lambda vm, line, a, o, n: vm.host_call(line, "talk_to", _arg(a, 0),
                                                      _text(_arg(a, 1))),
    "ADD SUGGESTION": _suggestion,
    "CLEAR SUGGESTIONS": _simple("clear_suggestions"),
    "PRINT": lambda vm, line, a, o, n: vm.host_call(line, "log", _text(_arg(a, 0)), "info"),
    "LOG": lambda vm, line, a, o, n: vm.host_call(line, "log", _text(_arg(a, 0)), "info"),
    "USE TOOL": _simple("use_tool"),
    "ADD TOOL": _simple("use_tool"),
    "CLEAR TOOLS": _simple("clear_tools"),
    "USE KB": _simple("use_kb"),
    "ADD KB": _simple("use_kb"),
    "CLEAR KB": _simple("clear_kb"),
    "KB STATISTICS": _simple("kb_statistics"),
    "USE WEBSITE": _simple("use_website"),
    "USE MODEL": _simple("use_model"),
    "SET CONTEXT": _context,
    "LLM": lambda vm, line, a, o, n: vm.host_call(line, "llm", _arg(a, 0), dict(o)),
    "REWRITE": _simple("rewrite"),
    "DELEGATE": lambda vm, line, a, o, n: vm.host_call(line, "delegate", _arg(a, 0),
                                                       _arg(a, 1), o.get("timeout")),
    "ADD BOT": lambda vm, line, a, o, n: vm.host_call(line, "add_bot", _arg(a, 0),
                                                      o.get("trigger")),
    "SET BOT MEMORY": _scoped("memory_set", "bot"),
    "GET BOT MEMORY": _scoped("memory_get", "bot"),
    "SET USER MEMORY": _scoped("memory_set", "user"),
    "GET USER MEMORY": _scoped("memory_get", "user"),
    "SET SESSION": lambda vm, line, a, o, n: vm.host_call(
        line, "memory_set", "session", _session_key(_arg(a, 0)), _arg(a, 1)),
    "REMEMBER": _simple("remember"),
    "RECALL": _simple("recall"),
    "BOT SHARE MEMORY": lambda vm, line, a, o, n: vm.host_call(
        line, "share_memory", _arg(a, 0), _arg(a, 1), bool(o.get("live"))),
    "BOT SYNC MEMORY": _simple("sync_memory"),
    "FIND": lambda vm, line, a, o, n: vm.host_call(line, "find", _arg(a, 0), _arg(a, 1),
                                                   o.get("where")),
    "SAVE": _save,
    "INSERT": _simple("insert"),
    "UPDATE": _update,
    "DELETE": _http_or("delete"),
    "MERGE": _simple("merge"),
    "GET": _http_or("get"),
    "POST": _http("POST"),
    "PUT": _http("PUT"),
    "PATCH": _http("PATCH"),
    "SET HEADER": _set_header,
    "CLEAR HEADERS": lambda vm, line, a, o, n: vm.headers.clear(),
    "READ": _simple("read_file"),
    "WRITE": _simple("write_file"),
    "COPY": _simple("copy_file"),
    "MOVE": _simple("move_file"),
    "DELETE FILE": _simple("delete_file"),
    "LIST": _simple("list_files"),
    "UPLOAD": _simple("upload"),
    "DOWNLOAD": _simple("download"),
    "SEND MAIL": _simple("send_mail"),
    "SEND EMAIL": _send_email,
    "SEND FILE": _simple("send_file"),
    "CREATE TASK": lambda vm, line, a, o, n: vm.host_call(line, "create_task", list(a)),
    "SET SCHEDULE": _simple("set_schedule"),
    "WEBHOOK": _simple("webhook"),
}


def _session_key(k):
    k = _text(k)
    return k[8:] if k.lower().startswith("session.") else k


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
        options = [(k, v) for k, v in node.options if not (k == "where" and _is_filter(v))]
        filt = _where_filter(ec, where_expr) if where_expr is not None and _is_filter(where_expr) \
            else None
        args = ec.values(list(node.args) + [v for _, v in options])
        n = len(node.args)
        opt_pairs = list(zip([k for k, _ in options], args[n:]))
        args = args[:n]
        handler = KEYWORDS.get(keyword)
        if handler is None:
            return self._builtin_or_fail(keyword, line, args)

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
            body = textwrap.dedent(_text(text(fr))).strip("\n")
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


def _is_filter(e) -> bool:
    """``a = x [AND b = y ...]`` with plain column names on the left."""
    if type(e) is not ast.Binary:
        return False
    if e.op == "and":
        return _is_filter(e.left) and _is_filter(e.right)
    return e.op == "=" and type(e.left) is ast.Name


def _where_filter(ec, e):
    pairs = []

    def collect(x):
        if x.op == "and":
            collect(x.left)
            collect(x.right)
        else:
            pairs.append((x.left.name, ec.value(x.right)))
    collect(e)
    return lambda fr: {k: c(fr) for k, c in pairs}
