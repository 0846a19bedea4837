"""User memory, session variables and REMEMBER.

- ``user_key`` names the user as conversations do (``user:<id>``, ``terminal:<name>``).
- ``session_key`` is ``conversation:<id>`` or, for a run without a conversation, ``run:<root id>``.
- ``REMEMBER k, v[, duration]``: the duration is a number of seconds or text like ``"30 days"``,
  ``"2 hours"``, ``"1 week"``; ``"forever"`` or none never expires. An expired memory reads as
  NULL at once and is deleted (row and vector) by the periodic purge. A text value is also
  indexed in Qdrant for RECALL's nearest match (``semantic``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from generalbots.bots.models import Bot
from memory.exceptions import InvalidMemoryInput
from memory.models import Remembered, SessionVariable, UserMemory
from memory.services import semantic
from memory.services.bots import memory_key

_UNITS = {
    "s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400, "w": 604800, "week": 604800, "month": 30 * 86400, "y": 365 * 86400,
    "year": 365 * 86400,
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$")
MAX_DURATION = timedelta(days=365 * 100)


def parse_duration(value: Any) -> timedelta | None:
    """None (never expires) for no value or ``forever``; seconds for a number; ``"30 days"``..."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "forever", "never")):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        text = str(value).strip().lower()
        match = _DURATION.match(text)
        if match is None or match.group(2) not in _UNITS:
            if re.fullmatch(r"\d+(\.\d+)?", text):
                seconds = float(text)
            else:
                raise InvalidMemoryInput(f"REMEMBER cannot read the duration {value!r}: write a number of seconds "
                                         "or text like \"30 days\", \"2 hours\", \"1 week\".")
        else:
            seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise InvalidMemoryInput(f"REMEMBER needs a positive duration, not {value!r}.")
    return min(timedelta(seconds=seconds), MAX_DURATION)


def user_memory_set(*, bot: Bot, user_key: str, key: str, value: Any) -> UserMemory:
    """``SET USER MEMORY``: ``value`` under ``key`` for one user of ``bot``."""
    row, _ = UserMemory.objects.update_or_create(bot=bot, user_key=user_key, key=memory_key(key),
                                                 defaults={"value": value})
    return row


def session_variable_set(*, bot: Bot, session_key: str, key: str, value: Any) -> SessionVariable:
    """``SET "session.k", v`` for one conversation (or root run)."""
    row, _ = SessionVariable.objects.update_or_create(session_key=session_key, key=memory_key(key),
                                                      defaults={"value": value, "bot": bot})
    return row


def remembered_set(*, bot: Bot, user_key: str, key: str, value: Any, duration: Any = None,
                   now: datetime | None = None) -> Remembered:
    """``REMEMBER``: store (replace) ``key`` for the user with its expiry; index text values.

    The vector is written at once (so RECALL later in the same run finds it) under an id
    derived from the row's identity, so a re-run slice overwrites the same point; a rolled-back
    write can leave a vector without a row, which RECALL ignores and ``gb memory-check`` reports.
    """
    key = memory_key(key)
    ttl = parse_duration(duration)
    expires_at = (now or timezone.now()) + ttl if ttl is not None else None
    with transaction.atomic():
        row, _ = Remembered.objects.select_for_update().update_or_create(
            bot=bot, user_key=user_key, key=key, defaults={"value": value, "expires_at": expires_at})
        semantic.remembered_index(row)
    return row


def remembered_delete(*, remembered: Remembered) -> None:
    """Delete a remembered memory and its vector."""
    semantic.remembered_unindex([remembered])
    remembered.delete()


def remembered_purge_expired(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Delete up to ``limit`` expired memories with their vectors; returns how many."""
    rows = list(Remembered.objects.expired(now).order_by("expires_at")[:limit])
    if rows:
        semantic.remembered_unindex(rows)
        Remembered.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)
