"""Qdrant access for semantic memory (collections ``gb_memory_*``) and knowledge bases
(``gb_kb_*``, dense and sparse vectors, hybrid search): one client per process.

``QDRANT_URL`` set: a Qdrant server. Otherwise Qdrant's local mode in ``QDRANT_PATH`` (a
folder; local mode lets one process at a time open it, so the embedded server and a
``manage.py`` command cannot both hold it). Points carry the payload ``bot`` (id), ``user_key``
and ``key``; the database row (``Remembered.vector_id``) is the truth, a point is an index.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings

from generalbots.core.lazy import lazy_module

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

# qdrant-client (with grpc, httpx and pydantic: ~80 MB) loads when a process first uses Qdrant.
qm = lazy_module("qdrant_client.models")

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
            from qdrant_client import QdrantClient
            if settings.QDRANT_URL:
                _client = QdrantClient(url=settings.QDRANT_URL, api_key=settings.QDRANT_API_KEY or None)
            else:
                _client = QdrantClient(path=str(settings.QDRANT_PATH))
                # Closed at exit, while imports still work: local mode releases its folder lock
                # then (its close imports portalocker; left to the garbage collector at shutdown
                # it prints an ImportError traceback).
                atexit.unregister(close)
                atexit.register(close)
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


# ---------------------------------------------------------------------------- knowledge bases
# Collections ``gb_kb_<models>_<dims>_<organization id>`` (``services.kb.kb_collection``): one
# point per chunk with a named dense vector, the second model's when the base has it
# (``second``), and a sparse one (IDF applied by Qdrant, over the organization's collection);
# payload ``bot`` (id), ``kb`` (id), ``document`` (path), ``position``, ``heading`` and ``text``.
# The KbDocument rows are the truth; points are the index.
KB_PREFIX = "gb_kb_"
DENSE = "dense"
SECOND = "second"
SPARSE = "sparse"
SEARCH_MODES = ("hybrid", "dense", "sparse")
# Reciprocal rank fusion of the dense and the sparse candidate lists (Qdrant's RRF): a candidate
# scores the sum of 1 / (k + rank) over the lists. k = 60 is the value of the original RRF paper
# (Cormack et al., 2009); Qdrant's default (2) lets the first rank of either list decide alone,
# which measured worse (bench/kb.py). The lists weigh the same (weighting the sparse one down
# measured worse too).
RRF_K = 60


def kb_vectors(dense: list[float], second: list[float] | None = None) -> dict[str, list[float]]:
    """The named dense vectors of one chunk (the second model's when there is one)."""
    return {DENSE: dense, SECOND: second} if second is not None else {DENSE: dense}


def kb_ensure_collection(name: str, dims: int, second_dims: int = 0) -> None:
    if name in _known:
        return
    qc = client()
    if not qc.collection_exists(name):
        config = {DENSE: qm.VectorParams(size=dims, distance=qm.Distance.COSINE)}
        if second_dims:
            config[SECOND] = qm.VectorParams(size=second_dims, distance=qm.Distance.COSINE)
        qc.create_collection(name, vectors_config=config,
                             sparse_vectors_config={SPARSE: qm.SparseVectorParams(modifier=qm.Modifier.IDF)})
        if settings.QDRANT_URL:
            for field in ("bot", "kb", "document"):
                qc.create_payload_index(name, field, qm.PayloadSchemaType.KEYWORD)
    _known.add(name)


def kb_upsert(collection: str,
              points: list[tuple[str, dict[str, list[float]], tuple[list[int], list[float]], dict]]) -> None:
    """(id, named dense vectors (:func:`kb_vectors`), (sparse indices, values), payload) points,
    written before returning."""
    if not points:
        return
    first = points[0][1]
    kb_ensure_collection(collection, len(first[DENSE]), len(first.get(SECOND) or ()))
    client().upsert(collection, wait=True, points=[
        qm.PointStruct(id=pid, vector={**dense, SPARSE: qm.SparseVector(indices=sparse[0], values=sparse[1])},
                       payload=payload) for pid, dense, sparse, payload in points])


def _kb_filter(*, kb_ids: list[str], document: str | None = None) -> qm.Filter:
    must = [qm.FieldCondition(key="kb", match=qm.MatchAny(any=kb_ids))]
    if document is not None:
        must.append(qm.FieldCondition(key="document", match=qm.MatchValue(value=document)))
    return qm.Filter(must=must)


def kb_delete(collection: str, *, kb_id: str, document: str | None = None) -> None:
    """Remove the points of one document of a base, or of the whole base."""
    if not collection or not collection_exists(collection):
        return
    client().delete(collection, points_selector=qm.FilterSelector(filter=_kb_filter(kb_ids=[kb_id], document=document)),
                    wait=True)


def kb_count(collection: str, *, kb_id: str) -> int:
    if not collection or not collection_exists(collection):
        return 0
    return client().count(collection, count_filter=_kb_filter(kb_ids=[kb_id]), exact=True).count


def kb_query(collection: str, *, kb_ids: list[str], dense: list[float] | None,
             sparse: tuple[list[int], list[float]] | None, mode: str, limit: int,
             rescore: bool = False, second: list[float] | None = None, second_weight: float = 1.0,
             with_dense: bool = False) -> list[tuple[float, dict, list[float] | None]]:
    """(score, payload, dense vector) of the best chunks of the bases, best first (the vector
    with ``with_dense`` only, else None): ``hybrid`` fuses the dense
    candidates, the sparse ones and, with ``second`` (the question's vector of the second model,
    for a collection that has it), the second model's, with Qdrant's reciprocal rank fusion;
    ``dense``/``sparse`` use one. ``rescore`` (hybrid only): the ``limit`` fused candidates come
    back scored and ordered by their dense (cosine) similarity instead of the fused score — with
    ``second``, by ``cosine + second_weight * the second model's cosine`` (a formula query) —
    Qdrant computing it (the reranking's input)."""
    if not kb_ids or not collection_exists(collection):
        return []
    flt = _kb_filter(kb_ids=kb_ids)
    qc = client()
    fetched = [DENSE] if with_dense else False
    sparse_query = qm.SparseVector(indices=sparse[0], values=sparse[1]) if sparse else None
    if mode == "hybrid":
        candidates = max(limit * 4, 20)
        prefetch = [qm.Prefetch(query=dense, using=DENSE, filter=flt, limit=candidates)]
        if sparse_query is not None and sparse_query.indices:
            prefetch.append(qm.Prefetch(query=sparse_query, using=SPARSE, filter=flt, limit=candidates))
        if second is not None:
            prefetch.append(qm.Prefetch(query=second, using=SECOND, filter=flt, limit=candidates))
        fusion = qm.RrfQuery(rrf=qm.Rrf(k=RRF_K))
        if rescore and second is not None:
            fused = qm.Prefetch(prefetch=prefetch, query=fusion, filter=flt, limit=limit)
            both = [qm.Prefetch(prefetch=[fused], query=dense, using=DENSE, filter=flt, limit=limit),
                    qm.Prefetch(prefetch=[fused], query=second, using=SECOND, filter=flt, limit=limit)]
            formula = qm.FormulaQuery(
                formula=qm.SumExpression(sum=["$score[0]", qm.MultExpression(mult=[second_weight, "$score[1]"])]),
                defaults={"$score[0]": 0.0, "$score[1]": 0.0})
            result = qc.query_points(collection, prefetch=both, query=formula, query_filter=flt, limit=limit,
                                     with_payload=True, with_vectors=fetched)
        elif rescore:
            fused = qm.Prefetch(prefetch=prefetch, query=fusion, filter=flt, limit=limit)
            result = qc.query_points(collection, prefetch=[fused], query=dense, using=DENSE, query_filter=flt,
                                     limit=limit, with_payload=True, with_vectors=fetched)
        else:
            result = qc.query_points(collection, prefetch=prefetch, query=fusion, query_filter=flt, limit=limit,
                                     with_payload=True, with_vectors=fetched)
    elif mode == "dense":
        result = qc.query_points(collection, query=dense, using=DENSE, query_filter=flt, limit=limit, with_payload=True,
                                 with_vectors=fetched)
    elif mode == "sparse":
        if sparse_query is None or not sparse_query.indices:
            return []
        result = qc.query_points(collection, query=sparse_query, using=SPARSE, query_filter=flt, limit=limit,
                                 with_payload=True, with_vectors=fetched)
    else:
        raise ValueError(f"unknown search mode {mode!r} (one of {', '.join(SEARCH_MODES)})")
    return [(float(p.score), p.payload or {}, _dense_of(p) if with_dense else None) for p in result.points]


def _dense_of(point) -> list[float] | None:
    vector = point.vector
    if isinstance(vector, dict):
        vector = vector.get(DENSE)
    return list(vector) if vector is not None else None
