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
- ``LIST TOOLS`` as a statement TALKs ``Tools: a, b`` (``Tools: none``); ``x = LIST TOOLS`` is
  the list of names. ``ALLOW ROLE r`` ends the script with an error unless the user has ``r``.
- Statements that only configure a channel or the UI (``UI_ONLY``) evaluate their values and log
  one line. ``CALL "/path", ...`` POSTs to the bot's API; a relative URL (``/x``) in ``CALL``,
  ``POST``, ``PUT``, ``PATCH`` resolves against the ``api-url`` setting, in ``GET``/``DELETE``
  too when the bot has one (else ``GET "/x"`` stays a file of the bot's storage).
- A keyword with no host method runs the builtin of the same name if there is one
  (``GROUP BY`` -> ``GROUP_BY``), else fails with ``KEYWORD is not supported`` when executed.
"""

from __future__ import annotations

import inspect
import textwrap

from . import ast
from .builder import emit_effect
from .builtins import BUILTINS, call_builtin
from .compile_closures import fold
from .errors import BasicRuntimeError
from .hear import MAX_TRIES, validate_answer
from .sql_query import parse_query, run_query
from .host import BaseHost, Suspend
from .frame import SuspendSignal
from .values import check_list_size, get_member, op_eq, to_number, to_text


def _text(v) -> str:
    return to_text(v)


def _allow_role(vm, line, args, opts, names):
    """``ALLOW ROLE "a"[, "b"]``: the script goes on only if the user has one of the roles."""
    roles = vm.host_call(line, "user_roles")
    if isinstance(roles, Suspend):
        return roles
    have = {_text(r).lower() for r in (roles or [])}
    wanted = [_text(a) for a in args]
    if not any(w.lower() in have for w in wanted):
        raise BasicRuntimeError(f"this user does not have the role {' or '.join(wanted)}",
                                line=line)


# statements that only configure a channel or the UI (see ``_ui_only``)
UI_ONLY = ("SET THEME", "SET PAGE MODE", "SET MAX LINES", "SET ANSWER MODE", "PLAY")


def _arg(args, i):
    return args[i] if len(args) > i else None


def _http_or(fallback):
    def run(vm, line, args, opts, names):
        target = _arg(args, 0)
        if fallback == "get" and len(args) == 2 and type(target) is str and \
                target.lower() == "config":
            return vm.host_call(line, "config_get", _text(args[1]))  # GET "config", "key"
        target = _api_url(vm, line, target, fallback.upper(), False)
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


def _api_url(vm, line, target, keyword: str, required: bool):
    """``target`` itself, or a relative URL (``/crm/x``) joined to the bot's ``api-url``."""
    if type(target) is not str or not target.startswith("/"):
        return target
    base = vm.host_call(line, "config_get", "api-url")
    if base:
        return _text(base).rstrip("/") + target
    if required:
        raise BasicRuntimeError(f"{keyword} {target}: a relative URL needs the bot's api-url "
                                "setting (config.csv)", line=line)
    return target


def _http(method):
    return lambda vm, line, a, o, n: vm.host_call(
        line, "http", method, _api_url(vm, line, _arg(a, 0), method, True), _arg(a, 1),
        dict(vm.headers))


def _call_api(vm, line, args, opts, names):
    """``CALL "/path", a, b``: POST to the bot's API; one object argument is the body, several
    arguments go as ``{"args": [...]}``; the reply (parsed JSON) is the value."""
    values = list(args[1:])
    body = values[0] if len(values) == 1 and type(values[0]) is dict else {"args": values}
    url = _api_url(vm, line, _arg(args, 0), "CALL", True)
    return vm.host_call(line, "http", "POST", url, body, dict(vm.headers))


def _ui_only(keyword):
    """A statement that only configures a channel or the UI elsewhere (``SET THEME``,
    ``SET PAGE MODE``, ``PLAY`` ...): its values are evaluated, then one log line says it was
    ignored; nothing in the script depends on it."""
    return lambda vm, line, a, o, n: vm.host_call(
        line, "log", f"{keyword} only configures the channel or the UI; ignored here", "info")


def _find(vm, line, args, opts, names):
    """FIND; ``ORDER BY col [DESC]`` sorts the rows here, as ``SORT(rows, col, "desc")``."""
    rows = vm.host_call(line, "find", _arg(args, 0), _arg(args, 1), opts.get("where"))
    column = opts.get("order by")
    if column is None or type(rows) is not list:
        return rows
    order = "desc" if opts.get("descending") else "asc"
    return call_builtin("SORT", [rows, _text(column), order], line=line)


def _query(vm, line, args, opts, names):
    """``QUERY "SELECT ..."`` over one of the bot's tables (the subset of ``sql_query``)."""
    try:
        query = parse_query(_text(_arg(args, 0)))
    except BasicRuntimeError as exc:
        raise exc.with_position(line)
    rows = vm.host_call(line, "find", query.table, None, None)
    if isinstance(rows, Suspend):
        return rows
    return run_query(query, rows or [])


def _filter_where(vm, line, args, opts, names):
    """``FILTER list WHERE col = v [AND ...]``: the items whose columns equal the values."""
    where = opts.get("where")
    if type(where) is not dict:
        raise BasicRuntimeError("FILTER ... WHERE expects column = value [AND ...]", line=line)
    items = _arg(args, 0)
    if type(items) is not list:
        raise BasicRuntimeError("FILTER expects a list", line=line)
    return [x for x in items if all(op_eq(get_member(x, k), v) for k, v in where.items())]


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
    run.host_method = method
    return run


def max_values(keyword: str) -> int | None:
    """How many values ``keyword`` takes at most, when its values go to the host method
    positionally (``SET SCHEDULE`` takes 1); None when the keyword reads them itself. The
    count is the method's signature in ``BaseHost`` (minus ``self`` and the effect context),
    so a script with one value too many fails with a BASIC message, at check time and at run
    time, never with Python's ``TypeError``."""
    method = getattr(KEYWORDS.get(keyword), "host_method", None)
    if method is None:
        return None
    params = list(inspect.signature(getattr(BaseHost, method)).parameters.values())[2:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return len(params)


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
    "CLEAR KB": _simple("clear_kb"),
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
    "GET SESSION": lambda vm, line, a, o, n: vm.host_call(
        line, "memory_get", "session", _session_key(_arg(a, 0))),
    "SET SESSION": lambda vm, line, a, o, n: vm.host_call(
        line, "memory_set", "session", _session_key(_arg(a, 0)), _arg(a, 1)),
    "REMEMBER": _simple("remember"),
    "RECALL": _simple("recall"),
    "BOT SHARE MEMORY": lambda vm, line, a, o, n: vm.host_call(
        line, "share_memory", _arg(a, 0), _arg(a, 1), bool(o.get("live"))),
    "BOT SYNC MEMORY": _simple("sync_memory"),
    "FIND": _find,
    "FILTER": _filter_where,
    "QUERY": _query,
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
    "SEND SMS": _simple("send_sms"),
    "SEND TEMPLATE": _simple("send_template"),
    "GET IMAGE": _simple("generate_image"),
    "ANALYZE SENTIMENT": _simple("analyze_sentiment"),
    "GENERATE CODE": _simple("generate_code"),
    "SAVE FROM UNSTRUCTURED": _simple("save_unstructured"),
    "DIR": _simple("list_files"),
    "LIST TOOLS": _simple("list_tools"),
    "ALLOW ROLE": _allow_role,
    "CALL API": _call_api,
    "DEBUG": lambda vm, line, a, o, n: vm.host_call(line, "log", _text(_arg(a, 0)), "info"),
    **{k: _ui_only(k) for k in UI_ONLY},
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
                text = ", ".join(_text(n) for n in names or []) or "none"
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
