"""Reads of the memory app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from generalbots.bots.models import Bot
from memory import vectors
from memory.embeddings import Embedder
from memory.models import BotMemory, BotSharedMemory, LiveShare, MemoryVersion, Remembered, SessionVariable, UserMemory

# RECALL's nearest match must be at least this close (cosine) unless the bot's config sets
# ``memory-recall-min-score``; below it RECALL returns NULL rather than an unrelated memory.
RECALL_MIN_SCORE = 0.25
RECALL_CANDIDATES = 10


def bot_memory_get(*, bot: Bot, key: str, default: Any = None) -> Any:
    """The value ``bot`` keeps under ``key``, or ``default``."""
    values = list(BotMemory.objects.filter(bot=bot, key=key).values_list("value", flat=True)[:1])
    return values[0] if values else default


def bot_memory_row(*, bot: Bot, key: str) -> BotMemory | None:
    return BotMemory.objects.filter(bot=bot, key=key).first()


def bot_memory_list(*, bot: Bot) -> QuerySet[BotMemory]:
    return BotMemory.objects.filter(bot=bot).order_by("key")


def memory_versions(*, bot: Bot, key: str) -> QuerySet[MemoryVersion]:
    """The history of one key, newest first."""
    return (MemoryVersion.objects.filter(bot=bot, key=key).select_related("source_bot", "run", "user")
            .order_by("-created_at", "-id"))


def memory_share_list(*, bot: Bot) -> QuerySet[BotSharedMemory]:
    """Memories ``bot`` shared or was shared, newest first, with ``live`` annotated."""
    live = LiveShare.objects.filter(source_bot=OuterRef("source_bot"), target_bot=OuterRef("target_bot"),
                                    memory_key=OuterRef("memory_key"))
    return (BotSharedMemory.objects.filter(Q(source_bot=bot) | Q(target_bot=bot))
            .select_related("source_bot", "target_bot").annotate(live=Exists(live)).order_by("-shared_at", "-id"))


def user_memory_get(*, bot: Bot, user_key: str, key: str) -> Any:
    values = list(UserMemory.objects.filter(bot=bot, user_key=user_key, key=key).values_list("value", flat=True)[:1])
    return values[0] if values else None


def session_variable_get(*, session_key: str, key: str) -> Any:
    values = list(SessionVariable.objects.filter(session_key=session_key, key=key).values_list("value", flat=True)[:1])
    return values[0] if values else None


def remembered_get(*, bot: Bot, user_key: str, key: str, now: datetime | None = None) -> Remembered | None:
    """The unexpired memory under exactly ``key`` (an expired one reads as missing)."""
    return Remembered.objects.live(now).filter(bot=bot, user_key=user_key, key=key).first()


def _min_score(bot: Bot) -> float:
    try:
        return float(bot.config_value("memory-recall-min-score") or RECALL_MIN_SCORE)
    except ValueError:
        return RECALL_MIN_SCORE


def remembered_nearest(*, bot: Bot, user_key: str, query: str, limit: int = 1,
                       now: datetime | None = None) -> list[tuple[Remembered, float]]:
    """The unexpired memories of the user closest to ``query`` (Qdrant), best first, each
    with its cosine score, at least the bot's minimum score."""
    if not query.strip():
        return []
    embedder = Embedder.for_bot(bot)
    vector = embedder.embed([query])[0]
    hits = vectors.search(embedder.collection(len(vector)), vector, bot_id=str(bot.pk), user_key=user_key,
                          limit=max(limit, RECALL_CANDIDATES))
    rows = {str(r.vector_id): r for r in Remembered.objects.live(now).filter(
        bot=bot, user_key=user_key, vector_id__in=[pid for pid, _ in hits])}
    floor = _min_score(bot)
    found = [(rows[pid], score) for pid, score in hits if pid in rows and score >= floor]
    return found[:limit]


def remembered_recall(*, bot: Bot, user_key: str, query: Any, now: datetime | None = None) -> Any:
    """RECALL: the value under exactly ``query``; else the value of the nearest text memory; else None."""
    if not isinstance(query, str):
        return None
    exact = remembered_get(bot=bot, user_key=user_key, key=query, now=now)
    if exact is not None:
        return exact.value
    nearest = remembered_nearest(bot=bot, user_key=user_key, query=query, now=now)
    return nearest[0][0].value if nearest else None
