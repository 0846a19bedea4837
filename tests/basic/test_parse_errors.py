"""Syntax errors: plain messages for a BASIC author, the right position, the source line and a
caret; never a lark internal."""

import pytest

from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.parser import parse, parse_expression

ERRORS = [
    # (source, line, col, message fragment)
    ("IF x THEN\nTALK 1\n", 1, 1, "IF without END IF (opened at line 1)"),
    ("FOR EACH a IN b\n  IF x THEN\nNEXT", 3, 1, "IF without END IF (opened at line 2)"),
    ("NEXT", 1, 1, "NEXT without FOR"),
    ("END IF", 1, 1, "END IF without IF"),
    ("ELSE", 1, 1, "ELSE without IF"),
    ("LOOP", 1, 1, "LOOP without DO"),
    ("WEND", 1, 1, "WEND without WHILE"),
    ("END SUB", 1, 1, "END SUB without SUB"),
    ("CASE 1", 1, 1, "CASE without SELECT CASE"),
    ("END TALK", 1, 1, "END TALK without BEGIN TALK"),
    ("DO\n  TALK 1", 1, 1, "DO without LOOP"),
    ("SUB a\nTALK 1", 1, 1, "SUB without END SUB"),
    ("WHILE x\n", 1, 1, "WHILE without WEND"),
    ("SELECT CASE x\nCASE 1\n", 1, 1, "SELECT CASE without END SELECT"),
    ("PARALLEL\n BRANCH A: TALK 1\n", 1, 1, "PARALLEL without END PARALLEL"),
    ("ON EVENT e DO\n", 1, 1, "ON EVENT without END ON"),
    ('TALK "abc', 1, 6, "unterminated string"),
    ('TALK "ok"\nx = (1 + \n', 2, 5, "'(' is never closed"),
    ("x = [1, 2", 1, 5, "'[' is never closed"),
    ("x = 1 +", 1, 8, "expected an expression after '+'"),
    ("x = ", 1, 4, "expected an expression after '='"),
    ("x = )", 1, 5, "unexpected ')'"),
    ("TALK (1 + 2))", 1, 13, "unexpected ')'"),
    ('x = "a" + * 2', 1, 11, "expected an expression after '+'"),
    ("x = a ? b", 1, 10, "expected ':'"),
    ('x = {"a" 1}', 1, 10, "expected ':'"),
    ("x = FORMAT a AS", 1, 16, "expected an expression after 'AS'"),
    ("FOR i = 1\nNEXT", 1, 1, "expected TO"),
    ("FOR EACH x\nNEXT", 1, 10, "expected IN"),
    ("HEAR", 1, 1, "expected a variable after HEAR"),
    ("TALK", 1, 1, "TALK expects a message"),
    ("IF THEN", 1, 3, "expected an expression after 'IF'"),
    ("BEGIN TALK\nhello", 1, 1, "BEGIN TALK without END TALK"),
    ("SELECT CASE x\nTALK 1\nCASE 1\nEND SELECT", 2, 1, "only CASE lines"),
    ("WITH x\nTALK 1\nEND WITH", 2, 1, "expected 'name = value'"),
    ("ON ERROR foo", 1, 1, "ON ERROR RESUME NEXT"),
    ("ON TIMEOUT: CANCEL", 1, 1, "must follow a STEP"),
    ("STEP 1: BOT \"a\" \"b\"\n  ON TIMEOUT: EXPLODE", 2, 15, "ON TIMEOUT expects"),
    ("EXIT NOW", 1, 6, "expected EXIT"),
    ("f(1 2)", 1, 5, "unexpected number 2"),
    ('x = "${}"', 1, 8, "empty ${}"),
]


@pytest.mark.parametrize("source, line, col, message", ERRORS, ids=[e[3] for e in ERRORS])
def test_error_message_and_position(source, line, col, message):
    with pytest.raises(BasicSyntaxError) as info:
        parse(source, "s.bas")
    err = info.value
    assert message in err.message
    assert (err.line, err.col) == (line, col)
    assert err.source_line == source.split("\n")[line - 1]


@pytest.mark.parametrize("source", [s for s, *_ in ERRORS])
def test_messages_never_leak_lark_internals(source):
    with pytest.raises(BasicSyntaxError) as info:
        parse(source)
    text = info.value.message
    for internal in ("Token(", "Expected one of", "$END", "LPAR", "KWN", "Tree(", "lark"):
        assert internal not in text


def test_format_shows_path_line_col_source_and_caret():
    with pytest.raises(BasicSyntaxError) as info:
        parse('TALK "hi"\nx = 1 +', "bot/start.bas")
    assert info.value.format("bot/start.bas") == (
        "bot/start.bas:2:8: expected an expression after '+'\n"
        "    x = 1 +\n"
        "           ^")


def test_error_inside_an_interpolation_points_into_the_string():
    with pytest.raises(BasicSyntaxError) as info:
        parse('\nTALK "a ${x +} b"')
    assert (info.value.line, info.value.col) == (2, 14)


def test_error_in_a_continued_line_keeps_the_physical_line():
    with pytest.raises(BasicSyntaxError) as info:
        parse('x = {\n  "a": 1,\n  "b": * 2\n}')
    assert info.value.line == 3
    assert info.value.source_line == '  "b": * 2'


def test_parse_expression_errors_are_syntax_errors():
    with pytest.raises(BasicSyntaxError) as info:
        parse_expression("1 + ")
    assert "expected an expression" in info.value.message
