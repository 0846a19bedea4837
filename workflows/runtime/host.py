"""The run host: the Django implementation of ``basic.Host`` for every run of the engine.

``RunHost`` is where the keyword groups compose, one module of ``runtime.keywords`` per
concern. No two groups define the same method (``tests/workflows/test_runtime_host.py`` checks
it), so the order of the bases decides nothing; ``BaseHost`` comes last and answers "not
available here" for whatever no group implements.

- ``dialog``: TALK, HEAR, TALK TO, suggestions, USE TOOL, SET CONTEXT, SYSTEM PROMPT, LOG;
- ``network``: HTTP verbs and SEND MAIL;
- ``llm``: LLM, REWRITE, USE MODEL;
- ``memory``: bot, user and session memory, REMEMBER / RECALL, BOT SHARE / SYNC MEMORY;
- ``kb``: USE KB / ADD KB, CLEAR KB, KB STATISTICS, USE WEBSITE (knowledge bases, ``memory``);
- ``metrics``: QUERY METRICS (the bot's own messages, conversations, runs and LLM calls);
- ``files``: READ / WRITE / LIST / COPY / MOVE / DELETE FILE in the bot's storage folder;
- ``tables``: FIND, SAVE, INSERT, UPDATE, DELETE on the bot's tables (``memory``);
- ``events``: PUBLISH EVENT, WAIT FOR EVENT;
- ``workflows``: ORCHESTRATE WORKFLOW, STEP, BOT, PARALLEL, DELEGATE, CALL, HUMAN APPROVAL,
  WAIT. Keywords that start child runs return a request the engine fulfils
  (``basic.StartChildren``): the host never drives another run itself.

Service errors (``ApplicationError``) become script errors in one way: ``runtime.errors``.
"""

from __future__ import annotations

from generalbots.basic import BaseHost
from workflows.runtime.keywords.dialog import DialogKeywords
from workflows.runtime.keywords.events import EventKeywords
from workflows.runtime.keywords.files import FileKeywords
from workflows.runtime.keywords.kb import KnowledgeBaseKeywords
from workflows.runtime.keywords.llm import LLMKeywords
from workflows.runtime.keywords.memory import MemoryKeywords
from workflows.runtime.keywords.metrics import MetricsKeywords
from workflows.runtime.keywords.network import NetworkKeywords
from workflows.runtime.keywords.tables import TableKeywords
from workflows.runtime.keywords.workflows import WorkflowKeywords

KEYWORD_GROUPS = (DialogKeywords, NetworkKeywords, LLMKeywords, MemoryKeywords, KnowledgeBaseKeywords, FileKeywords,
                  TableKeywords, EventKeywords, WorkflowKeywords, MetricsKeywords)


class RunHost(*KEYWORD_GROUPS, BaseHost):
    """Runs the keywords of one run: a conversation's (``turn`` given: TALK and HEAR talk with
    the user) or a workflow's (no conversation: TALK lines are the run's output, HEAR is
    refused). ``slice`` is the engine's SliceContext of the slice that runs it."""

    def __init__(self, run, script, *, slice, turn=None):
        # a child run (BOT step, PARALLEL branch) never talks in its parent's conversation
        if turn is not None and run.conversation_id != turn.conversation.pk:
            turn = None
        self.turn = turn
        self.conversation = turn.conversation if turn is not None else None
        self.bot = run.bot
        self.run = run
        self.script = script
        self.slice = slice
        self.talks = list(run.output or []) if turn is None else []
