"""The one way the run host maps a service's domain error to a script error.

Services raise ``ApplicationError`` with a message written for people; a keyword that calls
one turns it into a ``BasicRuntimeError`` (prefixed with the keyword when given), so the VM
reports it on the script's line and ``ON ERROR`` can handle it. Other exceptions are bugs and
pass through (the VM fails the run with them).
"""

from __future__ import annotations

import contextlib

from generalbots.basic import BasicRuntimeError
from generalbots.core.exceptions import ApplicationError


class script_errors(contextlib.ContextDecorator):
    """Context manager and decorator: ApplicationError -> BasicRuntimeError("KEYWORD: message")."""

    def __init__(self, keyword: str = ""):
        self.prefix = f"{keyword}: " if keyword else ""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, ApplicationError):
            raise BasicRuntimeError(f"{self.prefix}{exc.message}") from None
        return False
