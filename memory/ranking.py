"""Reranking of a knowledge-base search's fused candidates.

Qdrant's hybrid query (reciprocal rank fusion of the dense and the sparse lists) gathers the
candidates; RRF only sees ranks, so a sparse list that matched one ordinary word ("card") weighs
as much as a dense list that matched the meaning. The candidates are therefore reranked by

    score = cosine(question, passage)
            + SECOND_WEIGHT     * cosine of the second model (when the base has its vectors)
            + IDENTIFIER_WEIGHT * (share of the question's identifiers the passage contains)
            + LANGUAGE_WEIGHT   * (1 if the passage is in the question's language)

- the **cosine** of the model's vectors (the meaning; Qdrant rescores the fused candidates by
  their dense vectors, ``vectors.kb_query(rescore=True)``), and the second model's
  (multilingual-e5-small, ``embeddings.SECOND_MODEL_NAME``), whose errors are not the first
  model's: two models agreeing are better evidence than one. E5's cosines crowd together
  (their spread over a base's passages is about 2.7 times narrower than USE's), so its weight
  is above 1: at ``SECOND_WEIGHT`` = 4 it counts about 1.5 times as much as the first model's.
  Qdrant adds them (a formula query over the fused candidates). With the lexical fallback, whose
  cosine is weaker than the fusion, the fused score as a share of the best candidate's stands
  in for them (``selectors.kb_search``);
- the **identifiers** of the question (:func:`identifiers`): words that name one thing exactly —
  with a digit (``E1001``, ``X2``), with a capital inside (``LGPD``, ``GlobalConnect``,
  ``GB-Guest``), or capitalised after a sentence's first word (``the Nimbus plan``). Found whole in a
  passage (accents and case folded), they are the strongest evidence there is; a question with
  none gets no bonus anywhere;
- the **language** (English or Portuguese, told by function words): a base holding the same
  text in both languages answers in the question's. With the in-process model's vectors the
  bonus goes only to a passage that has a **twin** among the candidates — a passage in another
  language whose first-model cosine with it is at least ``TWIN_SIMILARITY``, i.e. a translation
  of it — so it chooses between translations and never pushes the right document in one
  language below an unrelated one in the question's. (USE puts translations at 0.75-0.86 and
  the nearest passages of a base that are not translations of each other at 0.64 at most.)
  Without those vectors (the lexical fallback, whose vectors cannot tell a translation, or an
  embedding endpoint, for which the threshold was never measured) every passage in the
  question's language gets it, as before.

The weights were chosen on the development half of ``bench/kb_set_large.py`` and on the first
set, ``bench/kb_set.py``, never on the held-out test half (``bench/kb.py`` reports it apart).
Nothing here names a word of any labelled set.
"""

from __future__ import annotations

import re

from generalbots.core.lazy import lazy_module
from memory.embeddings import fold, text_language

np = lazy_module("numpy")

SECOND_WEIGHT = 4.0
IDENTIFIER_WEIGHT = 0.2
LANGUAGE_WEIGHT = 0.05
# Two passages in different languages are translations of each other (twins) from this cosine
# of the first model up (see the module docstring).
TWIN_SIMILARITY = 0.7

_TOKEN = re.compile(r"[^\W_]+(?:[-_.][^\W_]+)*")
_SENTENCE_ENDS = frozenset(".!?:;")


def identifiers(text: str) -> list[str]:
    """The words of ``text`` that name one thing exactly, folded (see the module docstring)."""
    found: list[str] = []
    previous_end = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        starts_sentence = previous_end is None or any(c in _SENTENCE_ENDS for c in text[previous_end:match.start()])
        previous_end = match.end()
        if len(token) < 2:
            continue
        has_digit = any(c.isdigit() for c in token)
        if has_digit and not any(c.isalpha() for c in token):
            continue  # a number is a quantity more often than a name
        inner_capital = any(c.isupper() for c in token[1:])
        capitalised = token[0].isupper() and not starts_sentence
        if has_digit or inner_capital or capitalised:
            folded = fold(token)
            if folded not in found:
                found.append(folded)
    return found


def _contains(folded_text: str, term: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", folded_text) is not None


def identifier_share(terms: list[str], passage: str) -> float:
    """Share of ``terms`` (from :func:`identifiers`) found whole in ``passage``; 0 without terms."""
    if not terms:
        return 0.0
    folded = fold(passage)
    return sum(_contains(folded, term) for term in terms) / len(terms)


def _with_twin(languages: list[str], dense: list[list[float] | None], language: str) -> list[bool]:
    """Per candidate: in ``language`` with a twin in another language among the candidates."""
    own = [i for i, lang in enumerate(languages) if lang == language and dense[i] is not None]
    other = [j for j, lang in enumerate(languages) if lang != language and dense[j] is not None]
    found = [False] * len(languages)
    if not own or not other:
        return found
    matrix = np.asarray([dense[i] for i in own + other], dtype=np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    cosines = matrix[:len(own)] @ matrix[len(own):].T
    for row, i in enumerate(own):
        found[i] = bool(cosines[row].max() >= TWIN_SIMILARITY)
    return found


def rerank(query: str, candidates: list[tuple[float, dict]], *, dense: list[list[float] | None] | None = None,
           identifier_weight: float = IDENTIFIER_WEIGHT,
           language_weight: float = LANGUAGE_WEIGHT) -> list[tuple[float, dict]]:
    """(score, payload) of the (base score, payload) candidates, best first: the base score (the
    cosine, or the sum of both models') plus the bonuses of the module docstring. ``dense``: the
    candidates' first-model vectors, in order; with them the language bonus needs a twin."""
    terms = identifiers(query)
    language = text_language(query)
    texts = [f"{payload.get('heading', '')}\n{payload.get('text', '')}" for _score, payload in candidates]
    languages = [text_language(text) for text in texts] if language else [""] * len(texts)
    if not language:
        bonused = [False] * len(texts)
    elif dense is None:
        bonused = [lang == language for lang in languages]
    else:
        bonused = _with_twin(languages, dense, language)
    scored = []
    for (cosine, payload), text, bonus in zip(candidates, texts, bonused):
        score = cosine + identifier_weight * identifier_share(terms, text) + (language_weight if bonus else 0.0)
        scored.append((score, payload))
    return sorted(scored, key=lambda pair: -pair[0])
