"""The runtime host: what binds a script's keywords to the platform's services (DESIGN §1,
layer 4, below the engine that drives it).

- ``host``: ``RunHost``, the Django implementation of ``basic.Host``, composed of the keyword
  groups of ``keywords`` (one module per concern);
- ``errors``: the one mapping of service errors to script errors;
- ``llm``: what the bot's model is sent (settings, context, history, tools);
- ``guard``: outbound HTTP for scripts, refusing private addresses.

Nothing here imports the engine: keywords that start child runs return a request
(``basic.StartChildren``) that ``workflows.engine`` fulfils.
"""
