"""The statement table: keyword phrase (upper-case words) -> handler.

The longest phrase at the start of a line wins (``SET BOT MEMORY`` over ``SET``); underscores
count as spaces (``SET_BOT_MEMORY``). A line whose first word is in no phrase is a call or an
``ast.Unknown`` statement (see ``Parser.statement``).
"""

from __future__ import annotations

from . import parser_blocks as b
from . import parser_data as d
from . import parser_dialog as g
from . import parser_forms as f
from . import parser_tools as t
from . import parser_workflow as w

_expr = f.expression_statement

STATEMENTS = {
    # control flow
    ("IF",): b.if_stmt, ("FOR",): b.for_stmt, ("DO",): b.do_stmt, ("WHILE",): b.while_stmt,
    ("SELECT", "CASE"): b.select_stmt, ("SELECT",): b.select_stmt, ("SWITCH",): b.select_stmt,
    ("SUB",): b.routine, ("FUNCTION",): b.routine, ("WITH",): b.with_block,
    ("EXIT",): b.exit_stmt, ("BREAK",): b.break_stmt, ("END",): b.end_stmt,
    ("RETURN",): b.return_stmt, ("ON", "ERROR"): b.on_error, ("THROW",): b.throw,
    ("GOTO",): b.goto, ("WAIT",): b.wait, ("DELAY",): b.wait, ("CALL",): b.call,
    ("SCHEDULE",): b.schedule_block,
    # dialog
    ("TALK",): g.talk, ("SEND", "MESSAGE"): g.talk, ("WAIT", "FOR", "RESPONSE"): g.wait_for_response, ("TALK", "TO"): g.talk_to, ("HEAR",): g.hear,
    ("PRINT",): g.one_message("PRINT"), ("LOG",): g.one_message("LOG"),
    ("DIM",): g.declare, ("CONST",): g.declare,
    ("ADD", "SUGGESTION"): g.add_suggestion,
    ("CLEAR", "SUGGESTIONS"): f.keyword_args("CLEAR SUGGESTIONS", required=False),
    # tools, LLM and context
    ("PARAM",): t.param, ("DESCRIPTION",): t.description,
    ("USE", "TOOL"): f.keyword_args("USE TOOL", each=True),
    ("ADD", "TOOL"): f.keyword_args("ADD TOOL", each=True),
    ("CLEAR", "TOOLS"): f.keyword_args("CLEAR TOOLS", required=False),
    ("REMOVE", "TOOL"): f.keyword_args("REMOVE TOOL", each=True),
    ("USE", "KB"): f.keyword_args("USE KB", each=True),
    ("ADD", "KB"): f.keyword_args("ADD KB", each=True),
    ("CLEAR", "KB"): f.keyword_args("CLEAR KB", required=False),
    ("USE", "WEBSITE"): f.keyword_args("USE WEBSITE", separators=("REFRESH",)),
    ("USE", "MODEL"): f.keyword_args("USE MODEL"),
    ("SET", "CONTEXT"): f.pair_with_as("SET CONTEXT", 1),
    ("ADD", "BOT"): d.add_bot,
    # memory
    ("SET",): f.set_stmt,
    ("SET", "BOT", "MEMORY"): f.pair_with_as("SET BOT MEMORY"),
    ("SET", "SESSION"): f.pair_with_as("SET SESSION"), ("GET", "SESSION"): _expr,
    ("SET", "USER", "MEMORY"): f.pair_with_as("SET USER MEMORY"), ("SET", "USER"): f.set_user,
    ("REMEMBER",): f.keyword_args("REMEMBER", separators=("AS",)),
    # data
    ("SAVE",): f.save, ("INSERT",): d.insert, ("UPDATE",): d.update,
    ("DELETE",): d.delete, ("MERGE",): d.merge, ("APPEND",): f.keyword_args("APPEND"),
    ("PUSH",): f.keyword_args("APPEND"),  # PUSH list, item: the same as APPEND
    # HTTP and files
    ("SET", "HEADER"): f.pair_with_as("SET HEADER"),
    ("CLEAR", "HEADERS"): f.keyword_args("CLEAR HEADERS", required=False),
    ("WRITE",): f.keyword_args("WRITE", separators=("TO",)),
    ("COPY",): f.keyword_args("COPY", separators=("TO",)),
    ("MOVE",): f.keyword_args("MOVE", separators=("TO",)),
    ("DELETE", "FILE"): f.keyword_args("DELETE FILE"),
    ("UPLOAD",): f.keyword_args("UPLOAD", separators=("TO", "AS")),
    ("DOWNLOAD",): f.keyword_args("DOWNLOAD", separators=("TO", "AS")),
    # messaging and automation
    ("SEND", "MAIL"): f.keyword_args("SEND MAIL"), ("SEND", "EMAIL"): f.keyword_args("SEND EMAIL"),
    ("SEND", "FILE"): f.keyword_args("SEND FILE"), ("CREATE", "TASK"): f.keyword_args("CREATE TASK"),
    ("SEND", "SMS"): f.keyword_args("SEND SMS", separators=("TO",)),
    ("SEND", "TEMPLATE"): f.send_template,
    ("ALLOW", "ROLE"): f.keyword_args("ALLOW ROLE"),
    ("LIST", "TOOLS"): f.keyword_args("LIST TOOLS", required=False),
    ("SAVE", "FROM", "UNSTRUCTURED"): f.keyword_args("SAVE FROM UNSTRUCTURED"),
    ("SET", "SCHEDULE"): f.schedule, ("WEBHOOK",): f.keyword_args("WEBHOOK"),
    # statements that only configure a channel or the UI (a log line; keyword_calls.UI_ONLY)
    ("SET", "THEME"): f.keyword_args("SET THEME", required=False),
    ("SET", "PAGE", "MODE"): f.keyword_args("SET PAGE MODE", required=False),
    ("SET", "MAX", "LINES"): f.keyword_args("SET MAX LINES", required=False),
    ("SET", "ANSWER", "MODE"): f.keyword_args("SET ANSWER MODE", required=False),
    ("PLAY",): f.keyword_args("PLAY", required=False), ("DEBUG",): f.keyword_args("DEBUG"),
    ("CREATE", "INDEX"): f.raw_words("CREATE INDEX"),
    ("REFRESH",): f.keyword_args("REFRESH", required=False),
    ("POST", "TO"): f.post_to,
    ("RESET", "REPORT"): f.keyword_args("RESET REPORT", required=False),
    ("CACHE", "SET"): f.keyword_args("CACHE SET"), ("CACHE", "GET"): _expr,
    ("GRAPHQL",): _expr, ("SOAP",): _expr,
    # keyword expressions used as statements
    ("GET",): _expr, ("POST",): _expr, ("PUT",): _expr, ("PATCH",): _expr, ("FIND",): _expr,
    ("LLM",): _expr, ("REWRITE",): _expr, ("RECALL",): _expr, ("READ",): _expr,
    ("LIST",): _expr, ("DELEGATE",): _expr, ("WAIT", "FOR", "EVENT"): _expr,
    ("GET", "BOT", "MEMORY"): _expr, ("GET", "USER", "MEMORY"): _expr,
    ("GET", "IMAGE"): _expr, ("ANALYZE", "SENTIMENT"): _expr, ("GENERATE", "CODE"): _expr,
    ("DIR",): _expr, ("QUERY",): _expr, ("QUERY", "METRICS"): _expr,
    # multi-agent
    ("ORCHESTRATE", "WORKFLOW"): w.orchestrate, ("ORCHESTRATE",): w.orchestrate,
    ("END", "WORKFLOW"): w.end_workflow, ("STEP",): w.step, ("BOT",): w.bot_call,
    ("BOT", "SHARE", "MEMORY"): w.bot_share_memory, ("BOT", "SYNC", "MEMORY"): w.bot_sync_memory,
    ("HUMAN", "APPROVAL"): w.human_approval, ("PARALLEL",): w.parallel, ("BRANCH",): w.branch,
    ("ON", "EVENT"): w.on_event, ("ON", "FORM", "SUBMIT"): w.on_form_submit, ("PUBLISH", "EVENT"): w.publish_event,
    ("ON", "TIMEOUT"): w.stray_option, ("TIMEOUT",): w.stray_option, ("RETRY",): w.stray_option,
}
