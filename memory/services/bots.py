"""Bot memory and sharing between bots (``SET BOT MEMORY``, ``BOT SHARE/SYNC MEMORY``).

Rules:

- Every write of a bot's memory (script, API, admin, sync, live share) goes through
  :func:`_write`: one upsert, one :class:`MemoryVersion` per key (who, when, which run), and
  the live shares of the written keys, all in the caller's transaction.
- ``BOT SHARE MEMORY k WITH b`` stages the current value in ``bot_shared_memory`` for ``b``
  (upsert, with the time and the run); ``b`` sees it in its own memory after
  ``BOT SYNC MEMORY FROM a``. ``... LIVE`` also subscribes ``b``: the value is written into
  ``b``'s memory now and on every later write of ``k`` by ``a`` (staged row updated too).
- Sharing and syncing only happen inside one organization, and only from bots the target
  accepts (config ``memory-accept-from``: comma-separated bot names, ``*`` or empty: any bot
  of its organization). A refusal names both bots. A bot given by name (scripts) is looked up
  in the organization of the bot that shares or syncs: a name used only by another
  organization is ``No bot named ...``, exactly like a name nobody uses.
- Deleting a key is recorded as a version; it does not propagate to live subscribers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.bots.selectors import bot_get_in_organization
from generalbots.core.exceptions import ApplicationError
from memory.choices import MemorySource
from memory.exceptions import InvalidMemoryInput, MemoryShareRefused
from memory.models import BotMemory, BotSharedMemory, LiveShare, MemoryVersion

logger = logging.getLogger(__name__)

MAX_KEY = 200


def memory_key(key: Any) -> str:
    """A valid memory key (1-200 characters) or InvalidMemoryInput naming the problem."""
    if not isinstance(key, str):
        raise InvalidMemoryInput(f"A memory key must be text, not {type(key).__name__}.")
    if not key.strip():
        raise InvalidMemoryInput("A memory key cannot be empty.")
    if len(key) > MAX_KEY:
        raise InvalidMemoryInput(f"The memory key {key[:40]!r}... is {len(key)} characters long; the limit is {MAX_KEY}.")
    return key


def _bot(bot: Bot | str, *, organization_id) -> Bot:
    """``bot`` itself, or the bot of that name in ``organization_id`` (NotFoundError otherwise,
    the same whether the name is unused or used only by another organization)."""
    if isinstance(bot, Bot):
        return bot
    return bot_get_in_organization(name=str(bot), organization_id=organization_id)


def _accepted(target: Bot) -> list[str]:
    raw = target.config_value("memory-accept-from") or ""
    return [n.strip().lower() for n in raw.split(",") if n.strip()]


def memory_share_check(*, source: Bot, target: Bot) -> None:
    """Raise MemoryShareRefused (naming both bots) unless ``target`` may get memory from ``source``."""
    if source.pk == target.pk:
        raise MemoryShareRefused(f"Bot {source.name} cannot share memory with itself.",
                                 extra={"source": source.name, "target": target.name})
    if source.organization_id != target.organization_id:
        raise MemoryShareRefused(
            f"Bot {source.name} cannot share memory with bot {target.name}: they belong to different "
            f"organizations ({source.organization} and {target.organization}).",
            extra={"source": source.name, "target": target.name})
    accepted = _accepted(target)
    if accepted and "*" not in accepted and source.name.lower() not in accepted:
        raise MemoryShareRefused(
            f"Bot {target.name} does not accept memory from bot {source.name} "
            f"(memory-accept-from: {', '.join(accepted)}).",
            extra={"source": source.name, "target": target.name})


def _write(*, bot: Bot, values: dict[str, Any], source: str, run=None, user=None, source_bot: Bot | None = None,
           seen: frozenset = frozenset()) -> list[BotMemory]:
    """Upsert ``values`` into ``bot``'s memory with one version per key, then feed live shares."""
    if not values:
        return []
    now = timezone.now()
    rows = [BotMemory(bot=bot, key=k, value=v, updated_at=now) for k, v in values.items()]
    with transaction.atomic():
        BotMemory.objects.bulk_create(rows, update_conflicts=True, unique_fields=["bot", "key"],
                                      update_fields=["value", "updated_at"])
        MemoryVersion.objects.bulk_create([
            MemoryVersion(bot=bot, key=r.key, memory_id=r.pk, value=r.value, source=source, run=run, user=user,
                          source_bot=source_bot, created_at=now)
            for r in rows
        ])
        _propagate(bot=bot, values=values, run=run, seen=seen | {bot.pk})
    return rows


def _propagate(*, bot: Bot, values: dict[str, Any], run, seen: frozenset) -> None:
    subscriptions = (LiveShare.objects.filter(source_bot=bot, memory_key__in=list(values))
                     .select_related("target_bot", "target_bot__organization", "source_bot__organization"))
    by_target: dict[Bot, dict[str, Any]] = defaultdict(dict)
    targets = {}
    for sub in subscriptions:
        if sub.target_bot_id in seen:
            continue
        try:
            memory_share_check(source=bot, target=sub.target_bot)
        except MemoryShareRefused as exc:  # the target's rules changed since it subscribed
            logger.warning("live share %s skipped: %s", sub, exc.message)
            continue
        targets[sub.target_bot_id] = sub.target_bot
        by_target[sub.target_bot_id][sub.memory_key] = values[sub.memory_key]
    now = timezone.now()
    for target_id, target_values in by_target.items():
        BotSharedMemory.objects.bulk_create(
            [BotSharedMemory(source_bot=bot, target_bot_id=target_id, memory_key=k, memory_value=v, shared_at=now,
                             shared_by_run=run) for k, v in target_values.items()],
            update_conflicts=True, unique_fields=["source_bot", "target_bot", "memory_key"],
            update_fields=["memory_value", "shared_at", "shared_by_run"])
        _write(bot=targets[target_id], values=target_values, source=MemorySource.LIVE, run=run, source_bot=bot,
               seen=seen)


def bot_memory_set(*, bot: Bot, key: str, value: Any, source: str = MemorySource.SCRIPT, run=None,
                   user=None) -> BotMemory:
    """Store ``value`` (JSON) under ``key`` for ``bot``: a new version, and live shares updated."""
    return _write(bot=bot, values={memory_key(key): value}, source=source, run=run, user=user)[0]


def bot_memory_delete(*, bot: Bot, key: str, source: str = MemorySource.SCRIPT, run=None, user=None) -> bool:
    """Delete ``key`` of ``bot`` (recorded as a version); False when there was none."""
    with transaction.atomic():
        deleted, _ = BotMemory.objects.filter(bot=bot, key=memory_key(key)).delete()
        if deleted:
            MemoryVersion.objects.create(bot=bot, key=key, value=None, deleted=True, source=source, run=run,
                                         user=user)
    return bool(deleted)


def memory_share(*, source_bot: Bot, target: Bot | str, key: str, live: bool = False, run=None,
                 user=None) -> BotSharedMemory | None:
    """``BOT SHARE MEMORY key WITH target [LIVE]`` (see module docstring).

    Without LIVE the key must exist; with LIVE a missing key subscribes only (None returned),
    and the first write reaches the target.
    """
    key = memory_key(key)
    target_bot = _bot(target, organization_id=source_bot.organization_id)
    memory_share_check(source=source_bot, target=target_bot)
    current = BotMemory.objects.filter(bot=source_bot, key=key).first()
    if current is None and not live:
        raise ApplicationError(f"Bot {source_bot.name} has no memory {key!r} to share with bot {target_bot.name}.",
                               code="memory.no_such_key", extra={"key": key, "bot": source_bot.name})
    with transaction.atomic():
        shared = None
        if current is not None:
            shared, _ = BotSharedMemory.objects.update_or_create(
                source_bot=source_bot, target_bot=target_bot, memory_key=key,
                defaults={"memory_value": current.value, "shared_by_run": run, "shared_by_user": user})
        if live:
            LiveShare.objects.get_or_create(source_bot=source_bot, target_bot=target_bot, memory_key=key,
                                            defaults={"created_by_run": run})
            if current is not None:
                _write(bot=target_bot, values={key: current.value}, source=MemorySource.LIVE, run=run, user=user,
                       source_bot=source_bot, seen=frozenset({source_bot.pk}))
    return shared


def memory_sync(*, bot: Bot, source: Bot | str, run=None, user=None) -> int:
    """``BOT SYNC MEMORY FROM source``: copy every memory ``source`` shared with ``bot`` into
    ``bot``'s memory (one version each); returns how many keys."""
    source_bot = _bot(source, organization_id=bot.organization_id)
    memory_share_check(source=source_bot, target=bot)
    values = dict(BotSharedMemory.objects.filter(source_bot=source_bot, target_bot=bot)
                  .values_list("memory_key", "memory_value"))
    _write(bot=bot, values=values, source=MemorySource.SYNC, run=run, user=user, source_bot=source_bot)
    return len(values)


def live_share_delete(*, live_share: LiveShare) -> None:
    """Stop a live share; the target keeps what it already received."""
    live_share.delete()
