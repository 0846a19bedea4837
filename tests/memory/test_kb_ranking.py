"""The reranking of a knowledge-base search (memory.ranking): identifiers, the question's language,
Qdrant's rescoring of the fused candidates by their cosine, and the lexical fallback's fusion —
with the real model and Qdrant's local mode."""

from pathlib import Path

import numpy as np
import pytest

from memory import embeddings, ranking, selectors, services
from memory.embeddings import Embedder
from tests.memory.conftest import make_bot

pytestmark = pytest.mark.django_db

CARD_READER = {
    "e3101.md": "# Error E3101\nThe card reader lost its connection to the till; plug its cable in again.",
    "e3110.md": "# Error E3110\nThe card reader's battery is flat; charge it for an hour.",
    "e3011.md": "# Error E3011\nThe card reader cannot read the chip; ask for another card.",
}
TWINS = {
    "refunds.md": "# Refunds\nCustomers who are unhappy with a purchase get their money back within 30 days.",
    "reembolso.md": "# Reembolso\nQuem não ficou satisfeito com uma compra recebe o dinheiro de volta em até 30 dias.",
    "pets.md": "# Animals in the office\nDogs and cats may come to the office on Fridays if they are calm.",
}


def indexed_bot(org, root: Path, documents: dict[str, str], *, embedder: Embedder | None = None):
    """A bot whose package has one base ``kb`` holding ``documents``, indexed."""
    folder = root / "ranking.gbai" / "ranking.gbkb" / "kb"
    folder.mkdir(parents=True)
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    bot = make_bot("ranking", org)
    bot.source_path = str(root / "ranking.gbai")
    bot.save()
    services.kb_index(bot=bot, embedder=embedder)
    return bot


@pytest.mark.parametrize(("text", "found"), [
    ("What does E4012 mean?", ["e4012"]),
    ("GB-Guest password", ["gb-guest"]),
    ("How much does the Nimbus plan cost?", ["nimbus"]),  # capitalised after the first word
    ("Quanto custa o plano Brisa? Aurora também", ["brisa"]),  # a sentence's first word is not a name
    ("LGPD e GlobalConnect", ["lgpd", "globalconnect"]),  # capitals inside
    ("Fogão Aurora 5Q, 1.7 litros, 200 reais", ["aurora", "5q"]),  # numbers are quantities
    ("How do I get my money back?", []),
    ("I", []),
])
def test_identifiers_are_the_words_that_name_one_thing(text, found):
    assert ranking.identifiers(text) == found


def test_an_identifier_counts_whole_with_accents_and_case_folded():
    assert ranking.identifier_share(["e3011"], "Erro E3011: o leitor") == 1.0
    assert ranking.identifier_share(["e3011"], "Error E30110 or XE3011") == 0.0
    assert ranking.identifier_share(["aurora", "5q"], "O fogão AURORA") == 0.5
    assert ranking.identifier_share([], "anything") == 0.0


def dense_text(hits, document: str) -> str:
    return next(h.text for h in hits if h.document == document)


def test_the_exact_identifier_wins_where_the_meaning_alone_picks_a_neighbour(org, tmp_path):
    bot = indexed_bot(org, tmp_path, CARD_READER)
    question = "E3011 error"

    dense = selectors.kb_search(bot=bot, query=question, mode="dense", top=3)
    assert dense[0].document != "e3011.md"  # the three passages mean nearly the same to the model
    hybrid = selectors.kb_search(bot=bot, query=question, top=3)
    assert hybrid[0].document == "e3011.md"
    # the score is Qdrant's cosines of the candidate (the first model's plus SECOND_WEIGHT times
    # the second's) plus the identifier bonus (no language told)
    cosine = next(h.score for h in dense if h.document == "e3011.md")
    second = float(np.dot(embeddings.second_embed([question], query=True)[0],
                          embeddings.second_embed([f"Error E3011\n{dense_text(dense, 'e3011.md')}"])[0]))  # as indexed
    assert hybrid[0].score == pytest.approx(cosine + ranking.SECOND_WEIGHT * second + ranking.IDENTIFIER_WEIGHT,
                                            abs=1e-4)
    assert [h.score for h in hybrid] == sorted((h.score for h in hybrid), reverse=True)


def test_the_question_language_breaks_ties_between_twins_but_not_across_languages(org, tmp_path):
    bot = indexed_bot(org, tmp_path, TWINS)

    assert selectors.kb_search(bot=bot, query="How do I get my money back?", top=1)[0].document == "refunds.md"
    assert selectors.kb_search(bot=bot, query="Como recebo meu dinheiro de volta?", top=1)[0].document == "reembolso.md"
    assert selectors.kb_search(bot=bot, query="Posso levar meu cachorro para o escritório?",
                               top=1)[0].document == "pets.md"


def test_the_language_bonus_goes_only_to_a_passage_with_a_twin_in_another_language(org, tmp_path):
    vacation = {"ferias.md": "# Férias\nCada colaborador tem trinta dias de férias por ano, em até três períodos."}
    bot = indexed_bot(org, tmp_path, {**TWINS, **vacation})
    question = "Como recebo meu dinheiro de volta?"

    hits = {h.document: h for h in selectors.kb_search(bot=bot, query=question, top=4)}

    def formula(hit):  # Qdrant's rescoring: both models' cosines with the passage as indexed
        text = f"{hit.heading}\n{hit.text}"
        return (float(np.dot(embeddings.model_embed([question])[0], embeddings.model_embed([text])[0]))
                + ranking.SECOND_WEIGHT * float(np.dot(embeddings.second_embed([question], query=True)[0],
                                                       embeddings.second_embed([text])[0])))

    # a Portuguese question: the Portuguese translation of refunds.md gets the bonus, the
    # Portuguese passage without a twin does not, nor do the English ones
    assert hits["reembolso.md"].score == pytest.approx(formula(hits["reembolso.md"]) + ranking.LANGUAGE_WEIGHT,
                                                       abs=1e-3)
    for document in ("ferias.md", "refunds.md", "pets.md"):
        assert hits[document].score == pytest.approx(formula(hits[document]), abs=1e-3)


def test_without_vectors_every_passage_in_the_question_language_gets_the_bonus():
    english = (1.0, {"heading": "Phishing", "text": "Never send your password to anyone who asks for it."})
    portuguese = (0.97, {"heading": "Senha", "text": "A senha da rede expira a cada 90 dias."})
    question = "O que faço com um e-mail pedindo minha senha?"
    unrelated = [[1.0, 0.0], [0.0, 1.0]]
    translations = [[1.0, 0.0], [0.99, 0.14]]

    def order(dense):
        return [p["heading"] for _s, p in ranking.rerank(question, [english, portuguese], dense=dense)]

    assert order(unrelated) == ["Phishing", "Senha"]  # no twin: the cosines decide
    assert order(translations) == ["Senha", "Phishing"]  # twins: the question's language
    assert order(None) == ["Senha", "Phishing"]  # no vectors (the lexical fallback): as before


def test_without_the_rerank_the_hits_keep_the_fused_scores(org, tmp_path):
    bot = indexed_bot(org, tmp_path, CARD_READER)

    fused = selectors.kb_search(bot=bot, query="E3011 error", top=3, rerank=False)
    # RRF: 1 / (60 + rank from 0) summed over three lists (dense, sparse, the second model's)
    assert len(fused) == 3 and all(0 < h.score <= 3 / 60 for h in fused)
    assert fused[0].score > 2 / 60  # found in all three


def test_the_lexical_fallback_reranks_its_fusion(org, tmp_path):
    lexical = Embedder(model=embeddings.OFFLINE_MODEL)
    assert not lexical.semantic and Embedder.local().semantic
    bot = indexed_bot(org, tmp_path, {**CARD_READER, **TWINS}, embedder=lexical)

    hits = selectors.kb_search(bot=bot, query="E3011 error", top=3, embedder=lexical)
    assert hits[0].document == "e3011.md"
    # the best fused candidate scores 1 (a share of the best) plus the identifier bonus
    assert hits[0].score == pytest.approx(1 + ranking.IDENTIFIER_WEIGHT)
    assert selectors.kb_search(bot=bot, query="Quem recebe o dinheiro de volta?", top=1,
                               embedder=lexical)[0].document == "reembolso.md"
