"""The checker pass: errors for what cannot run, warnings for what deserves a look."""

import pytest

from generalbots.basic.checker import Diagnostic, check
from generalbots.basic.parser import parse


def diagnostics(source):
    return [(d.line, d.severity, d.message) for d in check(parse(source))]


def errors(source):
    return [(line, msg) for line, sev, msg in diagnostics(source) if sev == "error"]


def test_clean_script_has_no_diagnostics():
    assert diagnostics('PARAM x AS string\nDESCRIPTION "d"\nFOR EACH a IN b\n IF a THEN EXIT FOR\n'
                       'NEXT\nDO\n BREAK\nLOOP\nRETURN x') == []


@pytest.mark.parametrize("source, message", [
    ("EXIT FOR", "EXIT FOR outside FOR"),
    ("DO\n EXIT FOR\nLOOP", "EXIT FOR outside FOR"),
    ("FOR EACH a IN b\n EXIT DO\nNEXT", "EXIT DO outside DO"),
    ("EXIT WHILE", "EXIT WHILE outside WHILE"),
    ("BREAK", "BREAK outside a loop"),
    ("IF x THEN BREAK", "BREAK outside a loop"),
    ("EXIT SUB", "EXIT SUB outside SUB"),
    ("FUNCTION f\n EXIT SUB\nEND FUNCTION", "EXIT SUB outside SUB"),
    ("SUB s\nEND SUB\nSUB S\nEND SUB", "SUB S is already defined at line 1"),
    ("SUB s(a, A)\nEND SUB", "parameter A appears twice in SUB s"),
    ("GOTO nowhere", "GOTO nowhere: no such label"),
    ("ON ERROR GOTO handler", "GOTO handler: no such label"),
    ("a:\nb:\na:", "label a is already defined at line 1"),
    ("BRANCH A: TALK 1", "BRANCH A outside PARALLEL"),
])
def test_errors(source, message):
    assert message in [msg for _, msg in errors(source)]


def test_loop_exits_inside_their_loops_are_fine():
    source = ("FOR i = 1 TO 3\n EXIT FOR\nNEXT\nDO WHILE x\n EXIT DO\nLOOP\nWHILE y\n EXIT WHILE\n"
              "WEND\nSUB s\n EXIT SUB\nEND SUB\nFUNCTION f\n EXIT FUNCTION\nEND FUNCTION\nEXIT")
    assert errors(source) == []


def test_a_routine_body_does_not_see_the_callers_loop():
    assert errors("FOR EACH a IN b\n SUB s\n  EXIT FOR\n END SUB\nNEXT")[0][1] == \
        "EXIT FOR outside FOR"


def test_goto_to_a_label_defined_later_is_fine():
    assert errors("GOTO done\nTALK 1\ndone:") == []


@pytest.mark.parametrize("source, message", [
    ("HEAR x AS COLOR", "unknown HEAR type COLOR; the answer is kept as text"),
    ("TALK 1\nPARAM x AS string", "PARAM x comes after code; put PARAM lines first"),
    ("PARAM x AS string\nPARAM X AS integer", "PARAM X is declared twice (first at line 1)"),
    ("SUB s\n RETURN 1\nEND SUB", "RETURN value is ignored inside SUB s"),
    ("IF x THEN\n SUB s\n END SUB\nEND IF", "SUB s is defined inside another block"),
    ("END WORKFLOW", "END WORKFLOW without ORCHESTRATE WORKFLOW"),
])
def test_warnings(source, message):
    found = diagnostics(source)
    assert (message in [msg for _, sev, msg in found if sev == "warning"])
    assert [msg for _, sev, msg in found if sev == "error"] == []


def test_diagnostics_carry_positions_and_are_sorted():
    found = check(parse('TALK 1\n  HEAR x AS COLOR\nEXIT FOR'))
    assert found == [Diagnostic(2, 3, "unknown HEAR type COLOR; the answer is kept as text",
                                "warning"),
                     Diagnostic(3, 1, "EXIT FOR outside FOR", "error")]


@pytest.mark.parametrize("source, message", [
    ('TALKK "hi"', "unknown statement TALKK; did you mean TALK?"),
    ('SEND SMSS "x", "y"', "unknown statement SEND SMSS; did you mean SEND SMS?"),
    ('img = CHART "donut", data', "unknown statement CHART"),
    ('CREATE DRAFT "proposal", body', "unknown statement CREATE DRAFT"),
    ('valid = IS VALID row.email', "unknown statement IS VALID"),
    ('POST ON MASTODON username, password, image', "unknown statement POST ON MASTODON"),
    ('PUBLISH', "unknown statement PUBLISH"),
    ('Set "Mailing.xlsx", "B" + i, "x"', "this form of SET is not supported"),
    ("x = FOOBAR(2)", "unknown function FOOBAR"),
    ("CREATE TABLE orders (id INT)", "SQL table definitions are not BASIC: declare the table "
                                     "with TABLE name ... END TABLE in tables.bas"),
    ("x = UCASEE(name)", "unknown function UCASEE; did you mean UCASE?"),
    ('x = LEN("a", "b")', "LEN expects 1 argument, got 2"),
    ("x = NOW(1)", "NOW expects 0 arguments, got 1"),
    ('x = MID("abc")', "MID expects 2 to 3 arguments, got 1"),
    ("CREATE TABLE IF NOT EXISTS t (id INT)", "SQL table definitions are not BASIC: declare the "
                                              "table with TABLE name ... END TABLE in tables.bas"),
    ('SET SCHEDULE "a", "b", "c", "d"', "SET SCHEDULE takes at most 3 values, got 4"),
    ('WEBHOOK "a", "b"', "WEBHOOK takes at most 1 value, got 2"),
    ('r = QUERY "SELECT * FROM t WHERE a = 1 OR b = 2"',
     "QUERY: OR is not supported in WHERE; use AND"),
])
def test_what_would_fail_at_run_time_is_an_error(source, message):
    assert (1, message) in errors(source)


def test_a_prose_line_among_code_is_reported_on_its_line():
    assert errors("TALK 1\nThis bot answers ${name} questions") == [
        (2, "this line is prose, not a statement (make it a comment with ')")]


def test_a_function_of_the_script_named_like_a_builtin_takes_its_own_arguments():
    assert errors("x = left(1, 2, 3)\nFUNCTION left(a, b, c)\n RETURN a\nEND FUNCTION") == []


def test_functions_of_the_script_and_call_values_are_known():
    source = "x = twice(2)\ny = CALL helper(1)\nFUNCTION twice(n)\n RETURN n * 2\nEND FUNCTION"
    assert errors(source) == []


def test_bots_are_checked_only_when_the_caller_knows_them():
    source = 'BOT "triage" "classify"\nr = DELEGATE "hi" TO BOT "ghost"'
    assert [d for d in check(parse(source)) if d.severity == "warning"] == []
    found = check(parse(source), bot_known=lambda name: name == "triage")
    assert found == [Diagnostic(2, 5, "no bot named 'ghost' in the database or in this folder tree",
                                "warning")]


def test_param_after_description_and_comments_is_fine():
    assert diagnostics("' tool\nDESCRIPTION \"d\"\nPARAM a AS string\nPARAM b AS string") == []


def test_branches_inside_parallel_are_fine():
    assert errors("PARALLEL\n BRANCH A: TALK 1\n BRANCH B\n  TALK 2\n END BRANCH\nEND PARALLEL") == []
