"""Qdrant access for semantic memory: one client per process, collections ``gb_memory_*``.

``QDRANT_URL`` set: a Qdrant server. Otherwise Qdrant's local mode in ``QDRANT_PATH`` (a
folder; local mode lets one process at a time open it, so the embedded server and a
``manage.py`` command cannot both hold it). Points carry the payload ``bot`` (id), ``user_key``
and ``key``; the database row (``Remembered.vector_id``) is the truth, a point is an index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from django.conf import settings
from qdrant_client import QdrantClient
from qdrant_client import models as qm

PREFIX = "gb_memory_"
_lock = threading.Lock()
_client: QdrantClient | None = None
_client_target: tuple | None = None
_known: set[str] = set()


def client() -> QdrantClient:
    """The process's Qdrant client for the current settings (re-opened when they change)."""
    global _client, _client_target
    target = (settings.QDRANT_URL, settings.QDRANT_PATH)
    with _lock:
        if _client is None or _client_target != target:
            close()
            if settings.QDRANT_URL:
                _client = QdrantClient(url=settings.QDRANT_URL, api_key=settings.QDRANT_API_KEY or None)
            else:
                _client = QdrantClient(path=str(settings.QDRANT_PATH))
            _client_target = target
        return _client


def close() -> None:
    """Close the client (tests switch folders; local mode holds a lock on its folder)."""
    global _client, _client_target
    if _client is not None:
        try:
            _client.close()
        finally:
            _client, _client_target = None, None
            _known.clear()


def ensure_collection(name: str, dims: int) -> None:
    if name in _known:
        return
    qc = client()
    if not qc.collection_exists(name):
        qc.create_collection(name, vectors_config=qm.VectorParams(size=dims, distance=qm.Distance.COSINE))
        if settings.QDRANT_URL:  # local mode has no payload indexes (it filters by scanning)
            for field in ("bot", "user_key"):
                qc.create_payload_index(name, field, qm.PayloadSchemaType.KEYWORD)
    _known.add(name)


def upsert(collection: str, point_id: str, vector: list[float], payload: dict) -> None:
    ensure_collection(collection, len(vector))
    client().upsert(collection, points=[qm.PointStruct(id=point_id, vector=vector, payload=payload)], wait=True)


def delete(collection: str, point_ids: list[str]) -> None:
    if not point_ids or not collection_exists(collection):
        return
    client().delete(collection, points_selector=qm.PointIdsList(points=point_ids), wait=True)


def search(collection: str, vector: list[float], *, bot_id: str, user_key: str, limit: int) -> list[tuple[str, float]]:
    """(point id, cosine score) of the nearest points of one bot and user, best first."""
    if not collection_exists(collection):
        return []
    flt = qm.Filter(must=[qm.FieldCondition(key="bot", match=qm.MatchValue(value=bot_id)),
                          qm.FieldCondition(key="user_key", match=qm.MatchValue(value=user_key))])
    result = client().query_points(collection, query=vector, query_filter=flt, limit=limit, with_payload=False)
    return [(str(p.id), float(p.score)) for p in result.points]


def collection_exists(name: str) -> bool:
    return name in _known or client().collection_exists(name)


def collections() -> list[str]:
    return sorted(c.name for c in client().get_collections().collections if c.name.startswith(PREFIX))


def point_ids(collection: str, *, batch: int = 1000) -> Iterator[str]:
    """Every point id of ``collection``."""
    offset = None
    while True:
        points, offset = client().scroll(collection, limit=batch, offset=offset, with_payload=False,
                                         with_vectors=False)
        for point in points:
            yield str(point.id)
        if offset is None:
            return


def existing_ids(collection: str, ids: list[str]) -> set[str]:
    if not ids or not collection_exists(collection):
        return set()
    return {str(p.id) for p in client().retrieve(collection, ids=ids, with_payload=False, with_vectors=False)}
