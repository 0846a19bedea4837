"""The labelled sets of bench/kb.py are consistent: every question's answer is one of its documents,
and the larger set's development and test halves are the fixed split its module documents."""

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
