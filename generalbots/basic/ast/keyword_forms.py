"""``KEYWORD_FORMS``: the canonical ``(args, options)`` shape of every KeywordStmt / KeywordExpr.

The parser produces exactly these shapes; the compiler maps each keyword to a host method or a
builtin; the reference docs are checked against the keys. ``[x]`` is optional; ``...`` repeats.
A keyword not listed here that the parser nevertheless recognises must be added here by whoever
adds it. A line that starts with an "expr"-only keyword (``GET url``, ``LLM "x"``) is
``ExprStmt(KeywordExpr)``; an "expr or stmt" keyword at the start of a line is a KeywordStmt.
``TALK a, b`` / ``PRINT a; b`` give one argument: the parts joined with ``&`` and a space.
"""

from __future__ import annotations

KEYWORD_FORMS: dict[str, str] = {
    # dialog
    "TALK": "args=(text,)",
    "TALK TO": "args=(who, text)  # 'TALK TO who' alone gives text Literal('')",
    "ADD SUGGESTION": "args=(label,) | (context, label)  # ADD SUGGESTION ctx AS label",
    "CLEAR SUGGESTIONS": "args=()",
    "PRINT": "args=(value,)",
    "LOG": "args=(value,)",
    # tools, LLM and context
    "USE TOOL": "args=(name,)",
    "ADD TOOL": "args=(name,)",
    "CLEAR TOOLS": "args=()",
    "REMOVE TOOL": "args=(name,)",
    "USE KB": "args=(name,)",
    "ADD KB": "args=(name,)  # the same as USE KB",
    "CLEAR KB": "args=([name],)",
    "KB STATISTICS": "expr; args=()",
    "USE WEBSITE": "args=(url[, refresh])  # USE WEBSITE url REFRESH \"1d\"",
    "USE MODEL": "args=(alias,)",
    "SET CONTEXT": "args=(text,) | (name, text)  # SET CONTEXT name AS text",
    "LLM": "expr; args=(prompt,); options: 'optimize for', 'max_cost', 'max_latency', 'task'"
           "  # any other WITH word passes through lower-cased ('temperature')",
    "REWRITE": "expr; args=(text,)",
    "DELEGATE": "expr or stmt; args=(message, bot); options: 'timeout'  # DELEGATE m TO BOT b",
    "ADD BOT": "args=(bot,); options: 'trigger'",
    # memory
    "SET BOT MEMORY": "args=(key, value)",
    "GET BOT MEMORY": "expr; args=(key,)",
    "SET USER MEMORY": "args=(key, value)",
    "GET USER MEMORY": "expr; args=(key,)",
    "QUERY METRICS": "expr; args=(metric, period); options: 'by' (interval), 'offset' (periods back)",
    "SET USER": "args=(user_id,)  # SET USER \"k\", v and SET USER a, b are SET USER MEMORY",
    "REMEMBER": "args=(key, value[, duration])",
    "RECALL": "expr; args=(key_or_question,)",
    "SET SESSION": "args=(key, value)  # SET \"session.k\", v (key keeps the 'session.' prefix)"
                   "; also SET SESSION k, v and SET \"session.k\" = v",
    "GET SESSION": "expr; args=(key,) | (session, key)  # the script's own session either way",
    "BOT SHARE MEMORY": "args=(key, bot); options: 'live' (Literal True when LIVE)",
    "BOT SYNC MEMORY": "args=(bot,)  # BOT SYNC MEMORY FROM bot",
    # data
    "FIND": "expr; args=(table[, filter]); options: 'where' (an Expr for FIND t WHERE a = b), "
            "'order by' (column), 'descending'  # FIND t WITH filter ORDER BY col DESC",
    "FILTER": "expr; args=(list,); options: 'where'  # FILTER list WHERE col = v (else a builtin)",
    "SAVE": "args=(table, value, ...)",
    "INSERT": "args=(table, row)  # also INSERT INTO t VALUES row",
    "UPDATE": "args=(table, filter, row) | (table,) with options 'set' (ObjectLit), 'where'",
    "DELETE": "expr or stmt; args=(url_or_table[, filter]); options: 'where' (DELETE FROM t WHERE e)",
    "MERGE": "args=(table, rows[, key])",
    "APPEND": "args=(list, item)",
    "AGGREGATE": "expr; args=(...)",
    "GROUP BY": "expr; args=(list, field)",
    # HTTP and files
    "GET": "expr; args=(url_or_session_key,)",
    "POST": "expr or stmt; args=(url, body)",
    "PUT": "expr or stmt; args=(url, body)",
    "PATCH": "expr or stmt; args=(url, body)",
    "SET HEADER": "args=(name, value)",
    "CLEAR HEADERS": "args=()",
    "READ": "expr; args=(path,)",
    "WRITE": "args=(path, data)",
    "COPY": "args=(source, destination)",
    "MOVE": "args=(source, destination)",
    "DELETE FILE": "args=(path,)",
    "LIST": "expr; args=(path,)",
    "UPLOAD": "expr or stmt; args=(path[, data])",
    "DOWNLOAD": "expr or stmt; args=(url[, path])",
    # messaging and automation
    "SEND MAIL": "args=(to, subject, body)",
    "SEND EMAIL": "args=(to, body) | (to, subject, body)",
    "SEND FILE": "args=(path[, caption])",
    "CREATE TASK": "args=(...)",
    "SET SCHEDULE": "args=(spec[, script[, name]])  # SET SCHEDULE \"0 6 * * *\" \"jobs.bas\" \"reorder\"",
    "WEBHOOK": "args=(name,)",
    "SEND SMS": "args=(to, text)",
    "CALL API": "expr or stmt; args=(path, value, ...)  # CALL \"/crm/x\", a, b",
    "DEBUG": "args=(value,)",
    "SEND TEMPLATE": "args=(name, to[, data])  # SEND TEMPLATE name TO who [WITH data]",
    "GET IMAGE": "expr; args=(prompt,)",
    "ANALYZE SENTIMENT": "expr; args=(text,) | (session, text)",
    "GENERATE CODE": "expr; args=(request,)",
    "SAVE FROM UNSTRUCTURED": "args=(table, text)",
    "DIR": "expr; args=(path,)",
    "QUERY": "expr; args=(sql,)  # SELECT cols FROM t [WHERE ...] [ORDER BY c] [LIMIT n]",
    "LIST TOOLS": "expr or stmt; args=()",
    "ALLOW ROLE": "args=(role, ...)",
    # statements that only configure a channel or the UI: a log line (keyword_calls.UI_ONLY)
    "SET THEME": "args=([value, ...])",
    "SET PAGE MODE": "args=([value, ...])",
    "SET MAX LINES": "args=([value, ...])",
    "SET ANSWER MODE": "args=([value, ...])",
    "PLAY": "args=([value, ...])",
    "REFRESH": "args=([value, ...])  # REFRESH \"llm\": nothing is cached here, a log line",
    # products, images and social networks
    "SEARCH PRODUCTS": "expr; args=(text[, limit])",
    "PRODUCT": "expr; args=(id,)",
    "SEE": "expr; args=(image,)",
    "SCAN BARCODE": "expr; args=(image,)",
    "CACHE SET": "args=(key, value[, seconds])",
    "CACHE GET": "expr; args=(key,)",
    "GRAPHQL": "expr; args=(url, query[, variables])",
    "SOAP": "expr; args=(url, operation[, params])",
    "SESSION_ID": "expr; args=()  # SESSION_ID()",
    "BOT_ID": "expr; args=()  # BOT_ID()",
    "USER_ID": "expr; args=()  # USER_ID()",
    "RESET REPORT": "args=()",
    "POST TO": "args=([credentials, ...,] media, caption); options: 'platform' (upper-case word or a text), 'at' (when)",
}
