"""The Qdrant index of REMEMBER: which rows have vectors, and the orphan check.

A row whose value is non-empty text has one point, id ``uuid5(bot/user_key/key)``, in the
collection of its bot's embedder (``embeddings.Embedder.collection``). The text embedded is
``"<key>: <value>"`` so a question can match either.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from memory import vectors
from memory.embeddings import Embedder
from memory.models import Remembered

_NAMESPACE = uuid.UUID("9a4c1f0e-6f1b-4b8e-9d2a-6e0c7f3b5a11")


def point_id(row: Remembered) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{row.bot_id}/{row.user_key}/{row.key}")


def indexable_text(row: Remembered) -> str | None:
    return f"{row.key}: {row.value}" if isinstance(row.value, str) and row.value.strip() else None


def remembered_index(row: Remembered, *, embedder: Embedder | None = None) -> None:
    """Write (or remove) the row's vector to match its value; saves vector fields on the row."""
    text = indexable_text(row)
    if text is None:
        if row.vector_id is not None:
            remembered_unindex([row])
            row.vector_id, row.vector_collection = None, ""
            row.save(update_fields=["vector_id", "vector_collection"])
        return
    embedder = embedder or Embedder.for_bot(row.bot)
    vector = embedder.embed([text])[0]
    collection = embedder.collection(len(vector))
    pid = point_id(row)
    if row.vector_collection and row.vector_collection != collection:  # the bot changed embedders
        vectors.delete(row.vector_collection, [str(pid)])
    vectors.upsert(collection, str(pid), vector,
                   {"bot": str(row.bot_id), "user_key": row.user_key, "key": row.key})
    if row.vector_id != pid or row.vector_collection != collection:
        row.vector_id, row.vector_collection = pid, collection
        row.save(update_fields=["vector_id", "vector_collection"])


def remembered_unindex(rows: list[Remembered]) -> None:
    by_collection = defaultdict(list)
    for row in rows:
        if row.vector_id is not None and row.vector_collection:
            by_collection[row.vector_collection].append(str(row.vector_id))
    for collection, ids in by_collection.items():
        vectors.delete(collection, ids)


@dataclass
class MemoryCheckReport:
    """Vectors without rows and rows without vectors, per collection; what ``fix`` did."""

    orphan_vectors: dict[str, list[str]] = field(default_factory=dict)
    rows_without_vectors: list[int] = field(default_factory=list)
    fixed: bool = False

    @property
    def ok(self) -> bool:
        return not self.rows_without_vectors and not any(self.orphan_vectors.values())


def memory_vectors_check(*, fix: bool = False, batch: int = 1000) -> MemoryCheckReport:
    """Compare Qdrant with ``Remembered``; with ``fix`` delete orphan vectors and index rows."""
    report = MemoryCheckReport()
    expected: dict[str, set[str]] = defaultdict(set)
    for pk, vid, collection in (Remembered.objects.exclude(vector_id=None)
                                .values_list("pk", "vector_id", "vector_collection").iterator()):
        expected[collection].add(str(vid))
    present: dict[str, set[str]] = {}
    for collection in vectors.collections():
        ids = set(vectors.point_ids(collection, batch=batch))
        present[collection] = ids
        orphans = sorted(ids - expected.get(collection, set()))
        if orphans:
            report.orphan_vectors[collection] = orphans
    for row in Remembered.objects.select_related("bot").iterator():
        if indexable_text(row) is None:
            continue
        if row.vector_id is None or str(row.vector_id) not in present.get(row.vector_collection, set()):
            report.rows_without_vectors.append(row.pk)
    if fix:
        for collection, ids in report.orphan_vectors.items():
            vectors.delete(collection, ids)
        for row in Remembered.objects.select_related("bot").filter(pk__in=report.rows_without_vectors):
            remembered_index(row)
        report.fixed = True
    return report
