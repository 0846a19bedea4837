"""Subcommands of ``python manage.py gb``.

Each subcommand is a module of this package named in ``SUBCOMMANDS`` that defines:

- ``HELP``: one line for ``gb --help``;
- ``add_arguments(parser)``: its argparse arguments;
- ``handle(command, options)``: runs it (``command`` is the management command, for
  ``command.stdout`` and ``command.style``); raise ``CommandError`` to fail.

Add one by appending its module name below (``_`` in a module name is ``-`` on the command
line: ``memory_check`` is ``gb memory-check``). Import heavy or service-bound things (daphne,
Redis clients) inside ``handle`` so listing the commands needs no running service.
"""

SUBCOMMANDS = (
    "check",
    "kb",
    "load",
    "memory_check",
    "roundtrip",
    "run",
    "serve",
)
