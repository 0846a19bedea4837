"""The labelled sets of bench/kb.py are consistent: every question's answer is one of its documents,
the larger set's development and test halves are the fixed split its module documents, and each
held-out list is new questions of the same kinds over the same documents."""

import pytest

from bench import kb_set, kb_set_large


def test_every_question_names_a_document_of_its_set():
    assert {wanted for _question, wanted in kb_set.QUESTIONS} <= set(kb_set.DOCUMENTS)
    assert len({question for question, _wanted in kb_set.QUESTIONS}) == len(kb_set.QUESTIONS)
    every = [pair for pairs in kb_set_large.QUESTIONS.values() for pair in pairs]
    assert {wanted for _question, wanted in every} == set(kb_set_large.DOCUMENTS)  # each document asked about
    assert len({question for question, _wanted in every}) == len(every)


def test_the_larger_set_is_split_in_two_halves_by_position_within_each_kind():
    kb = kb_set_large
    assert len(kb.DOCUMENTS) >= 40 and len(kb.DEV) + len(kb.TEST) >= 120
    assert not set(kb.DEV) & set(kb.TEST) and sorted(kb.DEV + kb.TEST) == sorted(
        pair for pairs in kb.QUESTIONS.values() for pair in pairs)
    for pairs in kb.QUESTIONS.values():
        assert pairs[0] in kb.DEV and (len(pairs) < 2 or pairs[1] in kb.TEST)


def test_the_holdout_list_is_new_questions_over_the_same_documents():
    kb = kb_set_large
    asked = {question for pairs in kb.QUESTIONS.values() for question, _wanted in pairs}
    assert len(kb.HOLDOUT) >= 30 and kb.HOLDOUT == [pair for pairs in kb.HOLDOUT_QUESTIONS.values() for pair in pairs]
    assert {wanted for _question, wanted in kb.HOLDOUT} <= set(kb.DOCUMENTS)
    assert len({question for question, _wanted in kb.HOLDOUT}) == len(kb.HOLDOUT)
    assert not asked & {question for question, _wanted in kb.HOLDOUT}
    assert set(kb.HOLDOUT_QUESTIONS) == set(kb.QUESTIONS)


HOLDOUTS = ["HOLDOUT", "HOLDOUT2", "HOLDOUT3", "HOLDOUT4"]


@pytest.mark.parametrize("position", range(1, len(HOLDOUTS)))
def test_each_later_holdout_list_asks_new_questions_in_the_proportions_of_the_one_before(position):
    kb = kb_set_large
    name, before = HOLDOUTS[position], HOLDOUTS[position - 1]
    by_kind, earlier_kinds = getattr(kb, f"{name}_QUESTIONS"), getattr(kb, f"{before}_QUESTIONS")
    pairs = getattr(kb, name)
    assert pairs == [pair for kind_pairs in by_kind.values() for pair in kind_pairs]
    assert {kind: len(kind_pairs) for kind, kind_pairs in by_kind.items()} == {
        kind: len(kind_pairs) for kind, kind_pairs in earlier_kinds.items()}
    assert {wanted for _question, wanted in pairs} <= set(kb.DOCUMENTS)
    asked = {question for pairs_ in kb.QUESTIONS.values() for question, _wanted in pairs_}
    for earlier in HOLDOUTS[:position]:
        asked |= {question for question, _wanted in getattr(kb, earlier)}
    questions = [question for question, _wanted in pairs]
    assert len(set(questions)) == len(questions) and not asked & set(questions)
