"""Errors raised by the BASIC language package.

Every error carries the 1-based line and column of the source it concerns (0 when unknown),
so callers can print ``path:line:col: message``. ``BasicSyntaxError`` is raised by the lexer and
parser, ``BasicCheckError`` by the checker pass, ``BasicRuntimeError`` by the VM and builtins,
``BasicLimitError`` when a sandbox limit is exceeded.
"""

from __future__ import annotations


class BasicError(Exception):
    """Base class: a message for a BASIC author, with a position in the script."""

    kind = "error"

    def __init__(self, message: str, *, line: int = 0, col: int = 0, source_line: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.source_line = source_line

    def with_position(self, line: int, col: int = 0) -> "BasicError":
        """Fill the position in when it is still unknown (used when an error bubbles up)."""
        if not self.line:
            self.line = line
            self.col = col
        return self

    def format(self, path: str = "<script>") -> str:
        """``path:line:col: message``, then the source line and a caret when known."""
        head = f"{path}:{self.line}:{self.col}: {self.message}"
        if self.source_line is None:
            return head
        caret = " " * max(self.col - 1, 0) + "^"
        return f"{head}\n    {self.source_line.rstrip()}\n    {caret}"

    def __str__(self) -> str:
        if self.line:
            return f"line {self.line}: {self.message}"
        return self.message


class BasicSyntaxError(BasicError):
    kind = "syntax"


class BasicCheckError(BasicError):
    kind = "check"


class BasicRuntimeError(BasicError):
    kind = "runtime"


class BasicLimitError(BasicRuntimeError):
    kind = "limit"


class BasicThrow(BasicRuntimeError):
    """Raised by ``THROW e``; ``value`` is the thrown value."""

    kind = "throw"

    def __init__(self, value, *, line: int = 0, col: int = 0):
        super().__init__(f"script error: {value}", line=line, col=col)
        self.value = value
