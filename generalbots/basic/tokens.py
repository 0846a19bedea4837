"""What the lexer produces and the parser reads: :class:`Token` (with its :class:`Interp` string
parts and :class:`RawBlock` bodies) and :class:`LogicalLine`, one statement's tokens."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Interp:
    """A ``${expr}`` part of a string: the expression's text and where it starts."""

    text: str
    line: int
    col: int


@dataclass(slots=True)
class RawBlock:
    """A raw block: ``kind`` is TALK, SYSTEM PROMPT, MAIL or TABLE; ``header`` the tokens after
    the opening words; ``body`` the dedented text split into template parts (TABLE: the
    ``(line, col, text)`` field lines)."""

    kind: str
    header: list[Token]
    body: list
    body_line: int
    lines: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class Token:
    """``kind`` is WORD, NUM, STR, OP or RAW. ``value``: NUM the number, STR a list of parts
    (``str`` | :class:`Interp`), RAW a :class:`RawBlock`. ``pos``/``end`` are source offsets."""

    kind: str
    text: str
    line: int
    col: int
    pos: int
    end: int
    value: object = None

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "WORD" else ""

    def is_op(self, *ops: str) -> bool:
        return self.kind == "OP" and self.text in ops

    def is_word(self, *words: str) -> bool:
        return self.kind == "WORD" and self.text.upper() in words


@dataclass(slots=True)
class LogicalLine:
    tokens: list[Token]

    @property
    def line(self) -> int:
        return self.tokens[0].line
