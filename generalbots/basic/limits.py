"""Sandbox limits. A run that exceeds one fails with a ``BasicLimitError`` naming the line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    instructions_per_slice: int = 5_000_000
    loop_iterations: int = 1_000_000
    call_depth: int = 200
    string_length: int = 10_000_000
    list_length: int = 1_000_000
    wait_seconds_max: float = 366 * 24 * 3600.0


DEFAULT_LIMITS = Limits()
