"""The labelled set of bench/kb.py is consistent: every question's answer is one of its documents."""

from bench.kb_set import DOCUMENTS, QUESTIONS


def test_every_question_names_a_document_of_the_set():
    assert {wanted for _question, wanted in QUESTIONS} <= set(DOCUMENTS)
    assert len({question for question, _wanted in QUESTIONS}) == len(QUESTIONS)
