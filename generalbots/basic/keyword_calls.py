"""The keyword table: each keyword's host call (``KEYWORDS``: ``(vm, line, args, options,
names) -> result``) and how many values it takes (``max_values``).

Choices where BASIC.md is silent:

- ``GET x``: ``"session.k"`` reads session memory, ``http(s)://`` URLs are HTTP GET, anything
  else reads a file of the bot's storage; ``GET "config", "k"`` reads the bot's config.csv.
  ``DELETE x``: a URL is HTTP DELETE, else a table.
- ``SAVE "t", a, b``: a single object argument is the row. Otherwise, when ``TABLE t`` is
  declared (the bot's ``tables.bas``, or the script; host ``table_columns``), the values go to
  its columns by position, a variable named like a column to that column (more values than
  columns is an error); when it is not, the row maps each argument's variable name (lower case)
  to its value (``field2`` ... for non-variables).
- ``SEND EMAIL to, body`` has an empty subject; BEGIN MAIL takes a first line
  ``Subject: ...`` as the subject.
- ``SET HEADER`` / ``CLEAR HEADERS`` only change the run's headers (kept in the state) that
  later HTTP calls send.
- ``ALLOW ROLE r`` ends the script with an error unless the user has ``r`` (a host answering
  ``["*"]`` grants every role: the offline batch run's fake user).
- Statements that only configure a channel or the UI (``UI_ONLY``) evaluate their values and log
  one line. ``CALL "/path", ...`` POSTs to the bot's API; a relative URL (``/x``) in ``CALL``,
  ``POST``, ``PUT``, ``PATCH`` resolves against the ``api-url`` setting, in ``GET``/``DELETE``
  too when the bot has one (else ``GET "/x"`` stays a file of the bot's storage).
- ``FIND ... ORDER BY c [DESC]`` sorts like ``SORT``; ``FILTER list WHERE c > v [AND ...]`` keeps the
  items whose columns pass the tests (``= <> < > <= >= LIKE CONTAINS``); ``QUERY`` is the SQL subset of ``sql_query``.
"""

from __future__ import annotations

import inspect
from xml.sax.saxutils import escape as xml_escape

from .builtins import call_builtin
from .compile_closures import fold
from .errors import BasicRuntimeError
from .host import BaseHost, Suspend
from .metrics import buckets, metric_name, span
from .sql_query import parse_query, run_query
from .values import (get_member, op_contains, op_eq, op_ge, op_gt, op_le, op_like, op_lt,
                     op_ne, to_text)


def _text(v) -> str:
    return to_text(v)


def _allow_role(vm, line, args, opts, names):
    """``ALLOW ROLE "a"[, "b"]``: the script goes on only if the user has one of the roles."""
    roles = vm.host_call(line, "user_roles")
    if isinstance(roles, Suspend):
        return roles
    have = {_text(r).lower() for r in (roles or [])}
    wanted = [_text(a) for a in args]
    if "*" not in have and not any(w.lower() in have for w in wanted):
        raise BasicRuntimeError(f"this user does not have the role {' or '.join(wanted)}",
                                line=line)


# statements that only configure a channel or the UI (see ``_ui_only``)
UI_ONLY = ("SET THEME", "SET PAGE MODE", "SET MAX LINES", "SET ANSWER MODE", "PLAY", "CREATE INDEX",
           "REFRESH", "RESET REPORT")


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


def _set_user(vm, line, args, opts, names):
    """``SET USER id``: the later user memory, REMEMBER and RECALL of this run belong to user
    ``id`` of the same bot (``Effect.user``); an empty id returns to the conversation's user.
    TALK and HEAR stay with whoever talks with the bot. One log line records the switch."""
    user = _text(_arg(args, 0)).strip()
    if len(user) > 200:
        raise BasicRuntimeError("SET USER: a user id has at most 200 characters", line=line)
    vm.user = user or None
    text = (f"SET USER: user memory now belongs to {user}" if user
            else "SET USER: user memory belongs to the conversation's user again")
    return vm.host_call(line, "log", text, "info")


def _ui_only(keyword):
    """A statement that only configures a channel or the UI elsewhere (``SET THEME``,
    ``SET PAGE MODE``, ``PLAY`` ...): its values are evaluated, then one log line says it was
    ignored; nothing in the script depends on it."""
    what = {"CREATE INDEX": "tunes the database",
            "REFRESH": "reloads a cache (this platform reads contexts and data fresh on every "
                       "call)",
            "RESET REPORT": "clears the execution report of other versions (none is kept "
                            "here)"}.get(keyword, "configures the channel or the UI")
    return lambda vm, line, a, o, n: vm.host_call(
        line, "log", f"{keyword} only {what}; ignored here", "info")


def _find(vm, line, args, opts, names):
    """FIND; ``ORDER BY col [DESC][, col2 [DESC]]`` sorts the rows here, as
    ``SORT(rows, col, "desc")`` (stable, so later columns break ties); ``LIMIT n`` and a trailing
    ``FIRST n`` keep the first n rows, ``LAST n`` the last n; a trailing ``FIRST`` is the first
    row (NULL when none)."""
    rows = vm.host_call(line, "find", _arg(args, 0), _arg(args, 1), opts.get("where"))
    if type(rows) is not list:
        return rows
    keys = [k for k in ("order by", *(f"order by {n}" for n in range(2, 10))) if k in opts]
    for key in reversed(keys):
        suffix = key[len("order by"):]
        order = "desc" if opts.get("descending" + suffix) else "asc"
        rows = call_builtin("SORT", [rows, _text(opts[key]), order], line=line)
    if opts.get("limit") is not None:
        rows = rows[:max(int(call_builtin("VAL", [opts["limit"]], line=line)), 0)]
    if opts.get("last") is not None:
        n = max(int(call_builtin("VAL", [opts["last"]], line=line)), 0)
        rows = rows[len(rows) - n:] if n else []
    if opts.get("first"):
        return rows[0] if rows else None
    return rows


def _search_products(vm, line, args, opts, names):
    """``SEARCH PRODUCTS text[, n]``: at most ``n`` (10) rows of the bot's ``products`` table
    whose name, description, sku, brand or category contains ``text`` (ignoring case); names
    that start with it first, then by name."""
    rows = vm.host_call(line, "find", "products", None, None)
    if isinstance(rows, Suspend):
        return rows
    text = _text(_arg(args, 0)).strip().lower()
    limit = 10 if _arg(args, 1) is None else int(call_builtin("VAL", [args[1]], line=line))
    found = [r for r in rows or [] if type(r) is dict and any(
        text in _text(get_member(r, col)).lower() for col in PRODUCT_SEARCH_COLUMNS)]
    found.sort(key=lambda r: (not _text(get_member(r, "name")).lower().startswith(text),
                              _text(get_member(r, "name")).lower()))
    return found[:max(limit, 0)]


PRODUCT_SEARCH_COLUMNS = ("name", "description", "sku", "brand", "category")


def _product(vm, line, args, opts, names):
    """``PRODUCT id``: the row of the bot's ``products`` table with that ``id``, or NULL."""
    rows = vm.host_call(line, "find", "products", None, {"id": _arg(args, 0)})
    if isinstance(rows, Suspend):
        return rows
    return rows[0] if rows else None


def _post_to(vm, line, args, opts, names):
    """``POST TO INSTAGRAM [AT when] media, caption``: the last two values are the media and
    the caption; values before them (``POST TO INSTAGRAM user, password, media, caption``, an
    older form) are the network's credentials, which this platform keeps in its channel
    settings: they are not used, and never logged. A text platform may name several networks
    (``"instagram,facebook"``): one post each."""
    platforms = [w.strip().upper() for w in _text(opts.get("platform")).split(",") if w.strip()]
    if len(args) < 2 or not platforms:
        raise BasicRuntimeError(f"POST TO {' '.join(platforms) or '...'} expects the media and "
                                "the caption", line=line)
    for platform in platforms:
        done = vm.host_call(line, "social_post", platform, args[-2], args[-1], opts.get("at"))
        if isinstance(done, Suspend):
            return done
    return None


def _cache_set(vm, line, args, opts, names):
    """``CACHE SET key, value[, seconds]``: bot memory ``cache:key`` holding the value and
    when it expires (never without seconds)."""
    ttl = _arg(args, 2)
    expires = None
    if ttl is not None:
        seconds = call_builtin("VAL", [ttl], line=line)
        if type(seconds) not in (int, float) or seconds <= 0:
            raise BasicRuntimeError(f"CACHE SET: the time to live is a positive number of "
                                    f"seconds, not {_text(ttl)!r}", line=line)
        expires = to_text(call_builtin("DATEADD", [call_builtin("NOW", []), "second", seconds]))
    return vm.host_call(line, "memory_set", "bot", CACHE_PREFIX + _text(_arg(args, 0)),
                        {"value": _arg(args, 1), "expires": expires})


def _cache_get(vm, line, args, opts, names):
    """``CACHE GET key``: the value ``CACHE SET`` stored, NULL once it expired or when none."""
    entry = vm.host_call(line, "memory_get", "bot", CACHE_PREFIX + _text(_arg(args, 0)))
    if isinstance(entry, Suspend) or type(entry) is not dict:
        return None if type(entry) is not Suspend else entry
    expires = entry.get("expires")
    if expires and _text(call_builtin("NOW", [])) >= _text(expires):
        return None
    return entry.get("value")


CACHE_PREFIX = "cache:"


def _graphql(vm, line, args, opts, names):
    """``GRAPHQL url, query[, variables]``: POST ``{"query", "variables"}``; the reply."""
    body = {"query": _text(_arg(args, 1)), "variables": _arg(args, 2) or {}}
    url = _api_url(vm, line, _arg(args, 0), "GRAPHQL", True)
    return vm.host_call(line, "http", "POST", url, body, dict(vm.headers))


def _soap(vm, line, args, opts, names):
    """``SOAP url, operation, params``: POST a SOAP 1.1 envelope whose body is the element
    ``operation`` with one child per parameter (objects nest, lists repeat the element), with
    ``SOAPAction: operation``; ``?wsdl`` is dropped from the URL. The value is the reply (its
    text, or parsed JSON)."""
    operation = _text(_arg(args, 1)).strip()
    if not operation.replace("_", "a").replace("-", "a").replace(".", "a").isalnum() or \
            operation[:1].isdigit():
        raise BasicRuntimeError(f"SOAP: {operation!r} is not an operation name", line=line)
    url = _api_url(vm, line, _arg(args, 0), "SOAP", True)
    if type(url) is str and url.lower().endswith("?wsdl"):
        url = url[:-5]
    body = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap='
            f'"http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{operation}>'
            f'{_xml(_arg(args, 2))}</{operation}></soap:Body></soap:Envelope>')
    headers = {**vm.headers, "Content-Type": "text/xml; charset=utf-8", "SOAPAction": operation}
    return vm.host_call(line, "http", "POST", url, body, headers)


def _xml(value) -> str:
    if type(value) is dict:
        parts = []
        for k, v in value.items():
            tag = "".join(c if c.isalnum() or c in "_-." else "_" for c in str(k)) or "item"
            for item in (v if type(v) is list else [v]):
                parts.append(f"<{tag}>{_xml(item)}</{tag}>")
        return "".join(parts)
    return xml_escape(_text(value))


def _identity(field):
    """``SESSION_ID()`` / ``BOT_ID()`` / ``USER_ID()``: the run's own session, bot, user."""
    def run(vm, line, args, opts, names):
        ids = vm.host_call(line, "identity")
        return ids if isinstance(ids, Suspend) else (ids or {}).get(field)
    return run


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


def metrics_request(args, opts) -> tuple[str, float, float | None, int]:
    """The checked values of ``QUERY METRICS``: (metric, period s, interval s or None, offset)."""
    metric, period = metric_name(_arg(args, 0)), span(_arg(args, 1))
    by = opts.get("by")
    interval = None if by is None else span(by, "interval")
    buckets(period, interval)
    offset = opts.get("offset") or 0
    if type(offset) not in (int, float) or offset < 0 or offset != int(offset):
        raise BasicRuntimeError(f"QUERY METRICS: OFFSET is a whole number of periods, not {offset!r}")
    return (metric, period.total_seconds(), None if interval is None else interval.total_seconds(),
            int(offset))


def _query_metrics(vm, line, args, opts, names):
    """``QUERY METRICS m FOR p [BY i] [OFFSET n]``: the bot's buckets (``basic.metrics``)."""
    try:
        request = metrics_request(args, opts)
    except BasicRuntimeError as exc:
        raise exc.with_position(line)
    return vm.host_call(line, "query_metrics", *request)


_TESTS = {"=": op_eq, "<>": op_ne, "<": op_lt, ">": op_gt, "<=": op_le, ">=": op_ge,
          "like": op_like, "contains": op_contains}


def _filter_where(vm, line, args, opts, names):
    """``FILTER list WHERE col > v [AND ...]``: the items whose columns pass every test (the
    operators' own rules: ``"10" > 9`` is numeric, a missing column is NULL)."""
    where = opts.get("where")
    if type(where) is dict:
        where = [[k, "=", v] for k, v in where.items()]
    if type(where) is not list:
        raise BasicRuntimeError("FILTER ... WHERE expects column tests: col = value, col > value"
                                " ... [AND ...]", line=line)
    items = _arg(args, 0)
    if type(items) is not list:
        raise BasicRuntimeError("FILTER expects a list", line=line)
    try:
        return [x for x in items if all(_TESTS[op](get_member(x, k), v) for k, op, v in where)]
    except BasicRuntimeError as exc:
        raise exc.with_position(line)


def _save(vm, line, args, opts, names):
    values = args[1:]
    if len(values) == 1 and type(values[0]) is dict:
        return vm.host_call(line, "save", _arg(args, 0), values[0])
    columns = vm.host_call(line, "table_columns", _arg(args, 0))
    if type(columns) is not list:  # not declared: variables by name, other values fieldN
        row = {}
        for i, (v, name) in enumerate(zip(values, names[1:]), start=1):
            row[fold(name) if name else f"field{i}"] = v
        return vm.host_call(line, "save", _arg(args, 0), row)
    return vm.host_call(line, "save", _arg(args, 0), _by_position(line, args[0], columns,
                                                                  values, names[1:]))


def _by_position(line, table, columns: list, values: list, names: list) -> dict:
    """``SAVE "t", v1, v2...`` on a declared table: a variable named like a column goes to that
    column, every other value to the next column not yet given, in declaration order."""
    if len(values) > len(columns):
        raise BasicRuntimeError(f"SAVE {to_text(table)}: {len(values)} values for "
                                f"{len(columns)} columns ({', '.join(columns)})", line=line)
    by_name = {c.lower(): c for c in columns}
    row: dict = {}
    placed: set[int] = set()
    for i, (v, name) in enumerate(zip(values, names)):
        column = by_name.get(name.lower()) if name else None
        if column is not None and column not in row:
            row[column] = v
            placed.add(i)
    free = iter([c for c in columns if c not in row])
    for i, v in enumerate(values):
        if i not in placed:
            row[next(free)] = v
    return {c: row[c] for c in columns if c in row}


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
    "REMOVE TOOL": _simple("remove_tool"),
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
    "SET USER": _set_user,
    "GET USER MEMORY": _scoped("memory_get", "user"),
    # GET SESSION sid, "k" / ANALYZE SENTIMENT sid, text: the last value counts (the script's
    # own session is the only one it reaches)
    "GET SESSION": lambda vm, line, a, o, n: vm.host_call(
        line, "memory_get", "session", _session_key(a[-1] if a else None)),
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
    "QUERY METRICS": _query_metrics,
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
    "ANALYZE SENTIMENT": lambda vm, line, a, o, n: vm.host_call(
        line, "analyze_sentiment", a[-1] if a else None),
    "GENERATE CODE": _simple("generate_code"),
    "SAVE FROM UNSTRUCTURED": _simple("save_unstructured"),
    "DIR": _simple("list_files"),
    "LIST TOOLS": _simple("list_tools"),
    "ALLOW ROLE": _allow_role,
    "CALL API": _call_api,
    "DEBUG": lambda vm, line, a, o, n: vm.host_call(line, "log", _text(_arg(a, 0)), "info"),
    "SEARCH PRODUCTS": _search_products,
    "PRODUCT": _product,
    "SEE": _simple("describe_image"),
    "SCAN BARCODE": _simple("scan_barcode"),
    "POST TO": _post_to,
    "CACHE SET": _cache_set,
    "CACHE GET": _cache_get,
    "GRAPHQL": _graphql,
    "SOAP": _soap,
    "SESSION_ID": _identity("session"),
    "BOT_ID": _identity("bot"),
    "USER_ID": _identity("user"),
    **{k: _ui_only(k) for k in UI_ONLY},
}


def _session_key(k):
    k = _text(k)
    k = k[8:] if k.lower().startswith("session.") else k
    if not k.strip():
        raise BasicRuntimeError("a session value needs a key: the key is empty (an unset variable?)")
    return k
