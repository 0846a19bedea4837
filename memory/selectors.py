"""Reads of the memory app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from generalbots.basic.values import to_text
from generalbots.bots.models import Bot
from memory import ranking, vectors
from memory.choices import KbState
from memory.embeddings import MODEL_NAME, Embedder, sparse_vector
from memory.exceptions import InvalidMemoryInput
from memory.models import (BotMemory, BotSharedMemory, BotTableRow, KnowledgeBase, LiveShare, MemoryVersion,
                           Remembered, SessionVariable, UserMemory)

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


# ---------------------------------------------------------------------------- knowledge bases

@dataclass(frozen=True)
class KbHit:
    """One passage found: its base, document (path under the base's folder, or a page's address),
    heading, position in the document, fused (or single-vector) score and text."""

    kb: str
    document: str
    heading: str
    position: int
    score: float
    text: str

    def as_dict(self) -> dict:
        return {"kb": self.kb, "document": self.document, "heading": self.heading, "position": self.position,
                "score": round(self.score, 6), "text": self.text}


def kb_list(*, bot: Bot) -> QuerySet[KnowledgeBase]:
    return KnowledgeBase.objects.filter(bot=bot).order_by("name")


# Candidates of the hybrid query that the reranking (``memory.ranking``) orders: at least this
# many, and four times ``top`` past it.
RERANK_CANDIDATES = 20


def kb_search(*, bot: Bot, query: str, kbs: list[str] | None = None, top: int = 5, mode: str = "hybrid",
              rerank: bool = True, embedder: Embedder | None = None) -> list[KbHit]:
    """The ``top`` passages of the bot's bases (only ``kbs`` when given) best for ``query``.

    ``hybrid`` (the default) gathers candidates with Qdrant's reciprocal rank fusion of the dense
    and sparse lists and the second model's (``vectors.RRF_K``), then, with ``rerank``, orders
    them by the question's cosine with each passage (plus ``ranking.SECOND_WEIGHT`` times the
    second model's) plus bonuses for the question's identifiers found in it and for its
    language when it has a translation among the candidates (``memory.ranking``; the hit's
    score is that sum); ``dense`` and ``sparse`` use one
    vector as it is (the benchmark compares them). ``embedder`` is used as given (the benchmark
    compares them); the bot's gains the second model when it loads, unless the bot's config
    says ``kb-second-model,off`` (``Embedder.for_bot_kb``). A name in ``kbs`` the bot
    does not have is an InvalidMemoryInput naming it.
    """
    if mode not in vectors.SEARCH_MODES:
        raise InvalidMemoryInput(f"Unknown search mode {mode!r}: one of {', '.join(vectors.SEARCH_MODES)}.")
    if not query.strip():
        return []
    bases = kb_list(bot=bot)
    if kbs is not None:
        bases = bases.filter(name__in=kbs)
        missing = sorted(set(kbs) - {b.name for b in bases})
        if missing:
            raise InvalidMemoryInput(f"The bot {bot.name} has no knowledge base {', '.join(map(repr, missing))}.",
                                     code="memory.kb_not_found", extra={"bot": bot.name, "kb": missing})
    embedder = embedder or Embedder.for_bot_kb(bot)
    # (collection, with the second model) -> bases. A base indexed by the same first model is
    # searched even when one side lacks the second model (it did not load, here or there): by
    # the vectors both have.
    groups: dict[tuple[str, bool], list[str]] = {}
    for base in bases:
        first, _plus, other = base.embedder.partition("+")
        if base.collection and first == embedder.model:
            groups.setdefault((base.collection, bool(other) and other == embedder.second), []).append(str(base.pk))
    if not groups:
        return []
    dense = embedder.embed([query])[0] if mode != "sparse" else None
    sparse = sparse_vector(query, query=True) if mode != "dense" else None
    reranked = rerank and mode == "hybrid"
    second = (embedder.embed_second([query], query=True)[0]
              if mode == "hybrid" and any(with_second for _c, with_second in groups) else None)
    # the model's (or an endpoint's) cosine orders the fused candidates; the lexical fallback's
    # cosine is weaker than the fusion, so there the fused score (as a share of the best) does
    rescore = reranked and embedder.semantic
    # the in-process model's vectors tell translations apart (the language bonus needs a twin);
    # the rule was chosen for the ranking with both models: with the first alone it cost a
    # question of the development half (top-3 98.4 -> 96.8 %), so there the bonus stays as before
    twins = rescore and second is not None and not embedder.url and embedder.model == MODEL_NAME
    found: list[tuple[float, dict, list[float] | None]] = []
    for (collection, with_second), kb_ids in groups.items():
        found += vectors.kb_query(collection, kb_ids=kb_ids, dense=dense, sparse=sparse, mode=mode,
                                  limit=max(top * 4, RERANK_CANDIDATES) if reranked else top, rescore=rescore,
                                  second=second if with_second else None, second_weight=ranking.SECOND_WEIGHT,
                                  with_dense=twins)
    if reranked and not rescore and found:
        best = max(score for score, _payload, _dense in found)
        found = [(score / best, payload, vector) for score, payload, vector in found]
    pairs = [(score, payload) for score, payload, _dense in found]
    scored = (ranking.rerank(query, pairs, dense=[vector for _s, _p, vector in found] if twins else None)
              if reranked else sorted(pairs, key=lambda pair: -pair[0]))
    return [KbHit(kb=payload.get("kb_name", ""), document=payload.get("document", ""),
                  heading=payload.get("heading", ""), position=int(payload.get("position", 0)), score=score,
                  text=payload.get("text", "")) for score, payload in scored[:top]]


# The SessionVariable key holding the bases a conversation (or root run) uses: ``USE KB`` and
# ``CLEAR KB`` write it, the LLM and chat answers read it. Script keys start with "session.".
IN_USE_KEY = "kb.in-use"


def kb_in_use(*, session_key: str) -> list[str]:
    """The bases ``USE KB`` added to this conversation (``conversation:<id>``) or root run."""
    return list(session_variable_get(session_key=session_key, key=IN_USE_KEY) or [])


def kb_passages(*, bot: Bot, session_key: str, query: str, top: int = 3) -> list[KbHit]:
    """The best passages for ``query`` from the bases in use (none in use: none)."""
    names = kb_in_use(session_key=session_key)
    if not names or not query.strip():
        return []
    known = set(kb_list(bot=bot).filter(name__in=names).values_list("name", flat=True))
    return kb_search(bot=bot, query=query, kbs=[n for n in names if n in known], top=top) if known else []


RECENT_DAYS = 7


def kb_statistics(*, bot: Bot, kbs: list[str] | None = None, now: datetime | None = None) -> dict:
    """``KB STATISTICS``: per base its collection, documents, chunks, bytes, failed documents
    and the documents indexed in the last ``RECENT_DAYS`` days, with totals."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    bases = kb_list(bot=bot)
    if kbs is not None:
        bases = bases.filter(name__in=kbs)
    rows = bases.annotate(
        n_documents=Count("documents"), n_chunks=Sum("documents__chunks", default=0),
        n_bytes=Sum("documents__size", default=0),
        n_failed=Count("documents", filter=Q(documents__state=KbState.FAILED)),
        n_recent=Count("documents", filter=Q(documents__indexed_at__gte=since)))
    result = {"bases": [], "documents": 0, "chunks": 0, "bytes": 0, "recent_documents": 0}
    for row in rows:
        result["bases"].append({
            "name": row.name, "source": row.source, "url": row.url, "state": row.state, "collection": row.collection,
            "embedder": row.embedder, "documents": row.n_documents, "chunks": row.n_chunks, "bytes": row.n_bytes,
            "failed_documents": row.n_failed, "recent_documents": row.n_recent,
            "indexed_at": row.indexed_at.isoformat() if row.indexed_at else None})
        for key, value in (("documents", row.n_documents), ("chunks", row.n_chunks), ("bytes", row.n_bytes),
                           ("recent_documents", row.n_recent)):
            result[key] += value
    return result


# ----------------------------------------------------------------------------- bot tables
# FIND returns at most this many rows (the oldest first): a table is a bot's working data, not a
# data warehouse.
TABLE_FIND_LIMIT = 1000
TABLE_NAME_MAX = 100
_FILTER_SPLIT = re.compile(r"\s+AND\s+|,", re.IGNORECASE)


def table_name_check(table: Any) -> str:
    """The table's name as text; InvalidMemoryInput for an empty or too long one."""
    name = to_text(table).strip()
    if not name or len(name) > TABLE_NAME_MAX:
        raise InvalidMemoryInput(f"A table name must have 1 to {TABLE_NAME_MAX} characters, not {name!r}.",
                                 code="memory.table_name")
    return name


def table_filter(filter: Any) -> dict[str, str]:
    """``"col=value"`` (several joined by ``AND`` or commas), an object ``{col: value}`` (``WHERE``)
    or NULL/empty (every row) as ``{col: value text}``; anything else names the bad part."""
    if filter is None or filter == "":
        return {}
    if isinstance(filter, dict):
        return {str(k): to_text(v) for k, v in filter.items()}
    conditions = {}
    for part in _FILTER_SPLIT.split(to_text(filter)):
        column, equals, value = part.partition("=")
        if not equals or not column.strip():
            raise InvalidMemoryInput(f"Cannot read the filter {to_text(filter)!r}: write column=value "
                                     f"(several joined by AND), not {part.strip()!r}.", code="memory.table_filter")
        conditions[column.strip()] = value.strip().strip("'\"")
    return conditions


def _matches(data: dict, conditions: dict[str, str]) -> bool:
    lowered = {str(k).lower(): v for k, v in data.items()}
    return all(to_text(data.get(col, lowered.get(col.lower()))) == value for col, value in conditions.items())


def table_rows(*, bot: Bot, table: Any, filter: Any = None, where: Any = None,
               limit: int | None = TABLE_FIND_LIMIT) -> list[BotTableRow]:
    """The rows of the bot's ``table`` matching ``filter`` and ``where`` (see ``table_filter``;
    columns match ignoring case, values as text), oldest first, at most ``limit``."""
    conditions = {**table_filter(filter), **table_filter(where)}
    rows = BotTableRow.objects.filter(bot=bot, table=table_name_check(table)).order_by("id")
    found = []
    for row in rows.iterator(chunk_size=500):
        if _matches(row.data if isinstance(row.data, dict) else {}, conditions):
            found.append(row)
            if limit is not None and len(found) >= limit:
                break
    return found
