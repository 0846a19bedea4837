"""Text -> vector for semantic memory: an OpenAI-compatible endpoint or the offline embedder.

A bot with ``embedding-url`` in its config gets vectors from ``POST <url>/embeddings`` (the
OpenAI ``/v1/embeddings`` shape; ``embedding-model`` names the model, ``embedding-key`` is sent
as a bearer token when present). Without it, :func:`offline_embed` computes one locally.

The offline embedder is **lexical, not semantic**: it hashes words, word pairs and character
trigrams (accents and case folded, common English and Portuguese function words dropped, plural
and -ed/-ing endings trimmed) into ``OFFLINE_DIMS`` signed buckets and normalises the result. Texts that share words or word fragments come out close; synonyms with no letters in
common do not. It is pure Python, deterministic across processes and machines (blake2b, not
``hash()``), and never downloads anything.

Calls to an endpoint go through :mod:`generalbots.core.outbound`: ``TIMEOUT`` bounds the whole
exchange and a reply larger than ``MAX_REPLY_BYTES`` is cut off. Endpoints are configured by
operators and often local, so private addresses are allowed.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass

from generalbots.core import outbound
from generalbots.core.exceptions import ApplicationError

OFFLINE_DIMS = 256
OFFLINE_MODEL = "offline-hash-256"
TIMEOUT = 30.0
MAX_REPLY_BYTES = 10_000_000
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""a an and are as at be by do does for from has have how i in is it its me my of on or our
so that the their them this to was we what when where which who why will with you your o os as um uma e de da
do das dos em no na nos nas para por com que qual quais meu minha seu sua""".split())


class EmbeddingError(ApplicationError):
    code = "memory.embedding_error"
    http_status = 502


@dataclass(frozen=True)
class Embedder:
    """Which embedder a bot uses; ``collection`` is its Qdrant collection (one per model and size)."""

    url: str = ""
    model: str = OFFLINE_MODEL
    key: str = ""

    @classmethod
    def for_bot(cls, bot) -> "Embedder":
        url = (bot.config_value("embedding-url") or "").strip()
        if not url:
            return cls()
        return cls(url=url, model=(bot.config_value("embedding-model") or "").strip() or "default",
                   key=(bot.config_value("embedding-key") or "").strip())

    def collection(self, dims: int) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.model.lower()).strip("-") or "model"
        return f"gb_memory_{slug}_{dims}"

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not self.url:
            return [offline_embed(t) for t in texts]
        return http_embed(self.url, self.model, self.key, texts)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _features(text: str) -> list[str]:
    words = [_stem(w) for w in _WORD.findall(_fold(text)) if w not in _STOP]
    features = [f"w:{w}" for w in words]
    features += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    for w in words:
        padded = f"#{w}#"
        features += [f"c:{padded[i:i + 3]}" for i in range(len(padded) - 2)]
    return features


def offline_embed(text: str, dims: int = OFFLINE_DIMS) -> list[float]:
    """Feature hashing of words, word bigrams and character trigrams; unit length (or zeros)."""
    vector = [0.0] * dims
    for feature in _features(text):
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % dims
        weight = 2.0 if feature[0] == "w" else 1.0
        vector[bucket] += weight if digest[4] & 1 else -weight
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm else vector


_pooled = []


def _client():
    """One pooled, guarded client per process (private addresses only in GB_MODEL_ALLOWED_NETWORKS)."""
    if not _pooled:
        _pooled.append(outbound.make_client(guarded=True, max_connections=10, max_keepalive=5,
                                            networks="GB_MODEL_ALLOWED_NETWORKS"))
    return _pooled[0]


def http_embed(url: str, model: str, key: str, texts: list[str]) -> list[list[float]]:
    """``POST <url>/embeddings`` (OpenAI shape); EmbeddingError naming the endpoint on failure."""
    endpoint = url.rstrip("/")
    if not endpoint.endswith("/embeddings"):
        endpoint += "/embeddings"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        # embedding-url is a bot's config row (a tenant wrote it): the model endpoints' guard
        response = outbound.fetch("POST", endpoint, client=_client(), json={"model": model, "input": texts},
                                  headers=headers, deadline=TIMEOUT, max_bytes=MAX_REPLY_BYTES)
    except outbound.OutboundError as exc:
        raise EmbeddingError(f"The embedding endpoint {endpoint} failed: {exc.message}", extra={"url": endpoint}) from None
    if response.status >= 400:
        raise EmbeddingError(f"The embedding endpoint {endpoint} failed: it answered HTTP {response.status}",
                             extra={"url": endpoint, "status": response.status})
    try:
        rows = sorted(response.json()["data"], key=lambda r: r.get("index", 0))
        vectors = [[float(x) for x in row["embedding"]] for row in rows]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EmbeddingError(f"The embedding endpoint {endpoint} failed: {type(exc).__name__}: {exc}",
                             extra={"url": endpoint}) from None
    if len(vectors) != len(texts) or any(not v for v in vectors):
        raise EmbeddingError(f"The embedding endpoint {endpoint} returned {len(vectors)} vectors for "
                             f"{len(texts)} texts.", extra={"url": endpoint})
    return vectors
