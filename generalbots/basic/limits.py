"""Sandbox limits. A run that exceeds one fails with a ``BasicLimitError`` naming the line.

What a value weighs is what it would take to write it out: a list holding ten references to
one 1 MB text weighs 10 MB, however little memory the references take. Text built from values
(``TOJSON``, ``&``, ``JOIN``, templates, a list shown by TALK ...) stops as soon as it passes
``string_length``, before the whole text exists; the JSON of a run's saved state (variables,
loop positions, the value it returns) stops at ``state_bytes`` (the engine passes
``GB_STATE_MAX_BYTES``). ``call_depth`` counts SUB/FUNCTION calls across every script of a
chain of ``CALL script`` (each called script is a child run); ``script_depth`` bounds how deep
scripts may call scripts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    instructions_per_slice: int = 5_000_000
    loop_iterations: int = 1_000_000
    call_depth: int = 200
    script_depth: int = 20
    string_length: int = 10_000_000
    list_length: int = 1_000_000
    state_bytes: int = 4 * 1024 * 1024
    value_depth: int = 256  # lists and objects nested in one another, for JSON and saving
    wait_seconds_max: float = 366 * 24 * 3600.0


DEFAULT_LIMITS = Limits()
