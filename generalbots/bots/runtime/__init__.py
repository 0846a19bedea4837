"""The runtime that connects a script's keywords to the platform's services.

- ``programs``: compiling scripts (cached by source hash), checking them, tool schemas;
- ``engine``: conversation runs on ``workflow_executions`` rows, slice by slice;
- ``host``: ``ConversationHost``, the Django implementation of ``basic.Host``;
- ``llm``: answers from the bot's model, with tools;
- ``guard``: outbound HTTP for scripts, refusing private addresses.
"""
