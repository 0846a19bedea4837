"""The base of every node (its 1-based ``line`` and ``col``) and ``Block``, a sequence of
statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .statements import Stmt


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    line: int
    col: int = 0


Block = tuple["Stmt", ...]
