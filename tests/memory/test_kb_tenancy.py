"""Each organization's knowledge bases live in collections of its own (an audit, 2026-12-08).

Qdrant computes the sparse vectors' IDF over a whole collection. When the bases of every
organization shared one per embedder, another organization's documents moved a base's sparse
scores, which a search returns (``mode="sparse"``): how common a word is in the others'
documents showed. Collections are ``gb_kb_<models>_<dims>_<organization id>`` now
(``memory.services.kb.kb_collection``), and a base indexed in a shared one starts over.
"""

import pytest

from memory import embeddings, selectors, services
from memory.embeddings import Embedder
from memory.models import KbState, KnowledgeBase
from tests import factories
from tests.memory.conftest import make_bot
from tests.memory.kb_names import in_organization

pytestmark = pytest.mark.django_db

LEXICAL = Embedder(model=embeddings.OFFLINE_MODEL)  # fast, and the sparse vectors are the same


def package(root, name: str, documents: dict[str, str]):
    folder = root / f"{name}.gbai"
    (folder / f"{name}.gbot").mkdir(parents=True)
    (folder / f"{name}.gbot" / "config.csv").write_text("name,value\n")
    (folder / f"{name}.gbkb" / "faq").mkdir(parents=True)
    for path, text in documents.items():
        (folder / f"{name}.gbkb" / "faq" / path).write_text(text)
    return folder


def indexed(tmp_path, name: str, organization, documents: dict[str, str]):
    bot = make_bot(name, organization)
    bot.source_path = str(package(tmp_path, name, documents))
    bot.save()
    services.kb_index(bot=bot, embedder=LEXICAL)
    return bot


def sparse_scores(bot) -> list[tuple[str, float]]:
    return [(hit.document, round(hit.score, 6))
            for hit in selectors.kb_search(bot=bot, query="zephyr warranty", mode="sparse", embedder=LEXICAL)]


def test_another_organizations_documents_do_not_move_a_bases_sparse_scores(tmp_path):
    mine = {"kettle.md": "The zephyr kettle has a warranty of two years.", "lamp.md": "The lamp has a warranty."}
    alpha = indexed(tmp_path / "a", "alpha-desk", factories.OrganizationFactory(slug="alpha"), mine)
    before = sparse_scores(alpha)

    # Bravo indexes many documents that all say "warranty" (and none "zephyr")
    bravo = indexed(tmp_path / "b", "bravo-desk", factories.OrganizationFactory(slug="bravo"),
                    {f"w{i}.md": f"Product {i} has a warranty." for i in range(30)})

    assert before and before[0][0] == "kettle.md"
    assert sparse_scores(alpha) == before
    a_kb, b_kb = KnowledgeBase.objects.get(bot=alpha), KnowledgeBase.objects.get(bot=bravo)
    assert (a_kb.collection, b_kb.collection) == (in_organization("gb_kb_offline-hash-256_256", alpha),
                                                 in_organization("gb_kb_offline-hash-256_256", bravo))


def test_a_base_indexed_in_a_shared_collection_is_indexed_again_in_its_organizations(tmp_path):
    bot = indexed(tmp_path, "alpha-desk", factories.OrganizationFactory(slug="alpha"),
                  {"kettle.md": "The zephyr kettle has a warranty of two years."})
    KnowledgeBase.objects.filter(bot=bot).update(collection="gb_kb_offline-hash-256_256")  # before 2026-12-08

    report = services.kb_index(bot=bot, embedder=LEXICAL)["faq"]

    kb = KnowledgeBase.objects.get(bot=bot)
    assert (report.indexed, report.unchanged) == (["kettle.md"], [])
    assert (kb.collection, kb.state) == (in_organization("gb_kb_offline-hash-256_256", bot), KbState.INDEXED)
    assert [hit.document for hit in selectors.kb_search(bot=bot, query="zephyr", embedder=LEXICAL)] == ["kettle.md"]
