"""Retrieval quality and speed of the knowledge bases. Prints one JSON object per measurement.

    python bench/kb.py [--quick]

The labelled set (``bench/kb_set.py``): 20 short documents in English and Portuguese and 26
questions — paraphrases sharing few words with the right document and more with a wrong one,
cross-language questions, and identifier look-ups (an error code, a product or plan name). The
documents are written into a package under a temporary folder and indexed twice through the
real services into Qdrant's local mode (there too): once with the model, once with the lexical
fallback. Then every question is searched four ways:

- ``dense``: the model's vectors alone; ``sparse``: the BM25-like vectors alone;
- ``hybrid``: both fused by Qdrant's RRF, then reranked for the question's language (what
  ``USE KB`` answers use); ``hybrid_without_rerank``: the fusion alone;
- ``lexical``: the fallback embedder's dense vectors (what runs when the model cannot load).

Each line: ``top1`` and ``top3`` (share of questions whose document is first / among the first
three) and the misses; then ``index`` (seconds to index the 20 documents, documents per second)
and ``query`` (hybrid search latency, median and p95 in ms). Runs against the test settings'
PostgreSQL in its own database ``test_generalbots_bench`` (kept between runs). Target: hybrid
top-1 >= 85 %, top-3 100 %.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.test")
os.environ.setdefault("GB_TEST_RUN", "bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from bench.kb_set import DOCUMENTS, QUESTIONS  # noqa: E402


def emit(name: str, **fields) -> None:
    print(json.dumps({"name": name, **fields}, ensure_ascii=False), flush=True)


def make_bot(root: Path):
    from generalbots.bots.models import Bot
    from generalbots.core.models import Organization

    package = root / "bench-kb.gbai"
    folder = package / "bench-kb.gbkb" / "set"
    folder.mkdir(parents=True)
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    org, _ = Organization.objects.get_or_create(slug="bench-kb", defaults={"name": "Bench kb"})
    Bot.objects.filter(name="bench-kb").delete()
    return Bot.objects.create(name="bench-kb", organization=org, config={}, source_path=str(package))


def accuracy(bot, *, mode: str, embedder, rerank: bool = True) -> dict:
    from memory.selectors import kb_search

    top1 = top3 = 0
    misses = []
    for question, wanted in QUESTIONS:
        found = [h.document for h in kb_search(bot=bot, query=question, top=3, mode=mode, rerank=rerank,
                                               embedder=embedder)]
        top1 += bool(found) and found[0] == wanted
        top3 += wanted in found
        if not found or found[0] != wanted:
            misses.append({"question": question, "wanted": wanted, "got": found})
    n = len(QUESTIONS)
    return {"questions": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3), "misses": misses}


def main() -> None:
    from memory import embeddings, vectors
    from memory.embeddings import Embedder
    from memory.models import KnowledgeBase
    from memory.selectors import kb_search
    from memory.services import kb_delete, kb_index

    quick = "--quick" in sys.argv
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    model = Embedder.local()
    if model.model != embeddings.MODEL_NAME:
        emit("error", detail=embeddings.local_status()["detail"])
        raise SystemExit(1)
    lexical = Embedder(model=embeddings.OFFLINE_MODEL)
    with tempfile.TemporaryDirectory() as tmp, override_settings(QDRANT_URL=None, QDRANT_PATH=str(Path(tmp) / "qdrant")):
        vectors.close()
        bot = make_bot(Path(tmp))
        started = time.perf_counter()
        kb_index(bot=bot, embedder=model)
        seconds = time.perf_counter() - started
        emit("index", embedder=model.model, documents=len(DOCUMENTS), seconds=round(seconds, 3),
             documents_per_second=round(len(DOCUMENTS) / seconds, 1))
        for mode in ("dense", "sparse", "hybrid"):
            emit(mode, embedder=model.model, **accuracy(bot, mode=mode, embedder=model))
        emit("hybrid_without_rerank", embedder=model.model, **accuracy(bot, mode="hybrid", embedder=model, rerank=False))
        samples = []
        for _round in range(1 if quick else 5):
            for question, _wanted in QUESTIONS:
                t0 = time.perf_counter()
                kb_search(bot=bot, query=question, top=3, embedder=model)
                samples.append((time.perf_counter() - t0) * 1000)
        ordered = sorted(samples)
        emit("query", mode="hybrid", unit="ms", median=round(statistics.median(samples), 2),
             p95=round(ordered[int(0.95 * (len(ordered) - 1))], 2), n=len(samples))
        # the fallback: the same base re-indexed with the lexical embedder (vectors never mix)
        kb_index(bot=bot, embedder=lexical)
        emit("lexical", embedder=lexical.model, **accuracy(bot, mode="dense", embedder=lexical))
        for kb in KnowledgeBase.objects.filter(bot=bot):
            kb_delete(kb)
        bot.delete()
        vectors.close()


if __name__ == "__main__":
    main()
