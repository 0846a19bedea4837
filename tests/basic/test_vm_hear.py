"""HEAR answer validation (hear.py) and the re-ask loop through the VM."""

from __future__ import annotations

import pytest

from generalbots.basic.fake_host import FakeHost
from generalbots.basic.hear import MAX_TRIES, validate_answer
from generalbots.basic.testing import run_source
from generalbots.basic.values import BasicDate


@pytest.mark.parametrize("type_name, answer, value", [
    ("INTEGER", " 42 ", 42), ("INTEGER", "-3", -3),
    ("NUMBER", "12,5", 12.5), ("NUMBER", "7", 7), ("FLOAT", "1.25", 1.25),
    ("MONEY", "R$ 1.234,56", 1234.56), ("MONEY", "$1,234.50", 1234.5),
    ("BOOLEAN", "yes", True), ("BOOLEAN", "Y", True), ("BOOLEAN", "sim", True),
    ("BOOLEAN", "ok", True), ("BOOLEAN", "1", True), ("BOOLEAN", "true", True),
    ("BOOLEAN", "no", False), ("BOOLEAN", "n", False), ("BOOLEAN", "não", False),
    ("BOOLEAN", "0", False), ("BOOLEAN", "false", False),
    ("EMAIL", "ana@example.com", "ana@example.com"),
    ("DATE", "2024-12-31", BasicDate.parse("2024-12-31")),
    ("DATE", "31/12/2024", BasicDate.parse("2024-12-31")),
    ("HOUR", "14:30", "14:30"), ("HOUR", "9h", "09:00"), ("HOUR", "3pm", "15:00"),
    ("NAME", "Ana Maria d'Ávila", "Ana Maria d'Ávila"),
    ("MOBILE", "+55 (11) 99999-0000", "+5511999990000"), ("PHONE", "555-1234-99", "555123499"),
    ("ZIPCODE", "01310-100", "01310-100"), ("ZIPCODE", "94105", "94105"),
    ("URL", "https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("UUID", "123E4567-E89B-12D3-A456-426614174000", "123e4567-e89b-12d3-a456-426614174000"),
    ("TEXT", " hello ", "hello"), ("STRING", "x", "x"), ("ANY", "", ""),
    ("FILE", "https://files.example/a.pdf", "https://files.example/a.pdf"),
])
def test_valid_answers_are_converted(type_name, answer, value):
    ok, got, message = validate_answer(type_name, answer, [])
    assert ok and message == ""
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("type_name, answer", [
    ("INTEGER", "4.5"), ("INTEGER", "ten"), ("NUMBER", "abc"), ("BOOLEAN", "maybe"),
    ("EMAIL", "ana@"), ("DATE", "31/02/2024"), ("DATE", "tomorrow"), ("HOUR", "25:00"),
    ("NAME", "R2D2"), ("MOBILE", "12"), ("ZIPCODE", "ABCDE"), ("URL", "example.com"),
    ("UUID", "123"), ("TEXT", "   "),
])
def test_invalid_answers_get_the_type_message(type_name, answer):
    ok, value, message = validate_answer(type_name, answer, [])
    assert not ok and value is None
    assert message.startswith("Please")


def test_menu_accepts_a_choice_or_its_number():
    choices = ["Red", "Green"]
    assert validate_answer("MENU", "green", choices) == (True, "Green", "")
    assert validate_answer("MENU", "1", choices) == (True, "Red", "")
    ok, _, message = validate_answer("MENU", "blue", choices)
    assert not ok and message == "Please choose one of: Red, Green."


def test_file_answers_may_be_objects():
    assert validate_answer("FILE", {"name": "a.pdf"}, []) == (True, {"name": "a.pdf"}, "")


def test_three_invalid_answers_give_the_default_or_null():
    assert MAX_TRIES == 3
    _, host = run_source('HEAR n AS INTEGER\nTALK "n null: " & (n IS NULL)',
                         answers=["a", "b", "c", "4"])
    assert host.transcript == ["> a", "Please answer with a whole number.", "> b",
                               "Please answer with a whole number.", "> c", "n null: true"]


def test_a_null_answer_takes_the_default_at_once():
    from generalbots.basic import VM, compile_program, parse
    program = compile_program(parse('HEAR n AS INTEGER WITH "How many?" DEFAULT 2\nTALK n', "t"))
    host = FakeHost(answers=["x"], suspend_everywhere=True)
    vm = VM(program, host)
    assert vm.run().status == "suspended"
    assert vm.resume(None).status == "finished"
    assert host.transcript == ["How many?", "> x", "2"]


def test_hear_into_a_member():
    _, host = run_source('form = {}\nHEAR form.age AS INTEGER\nTALK form', answers=["7"])
    assert host.transcript == ["> 7", '{"age":7}']
