"""Sandbox: every limit fails the run with a BasicLimitError naming the line, and no Python
internals are reachable from a script, through the full VM."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import generalbots.basic
from generalbots.basic import BasicLimitError, BasicSyntaxError, Limits
from generalbots.basic.fake_host import FakeHost
from generalbots.basic.testing import run_source
from generalbots.basic.values import BasicDate

PACKAGE = Path(generalbots.basic.__file__).parent


def fails_with(source: str, limits: Limits = Limits(), **kw):
    result, host = run_source(source, limits=limits, **kw)
    assert result.status == "failed", f"expected a failure, got {result.status}"
    return result.error


# ---------------------------------------------------------------------------- limits


@pytest.mark.parametrize("source, line", [
    ("n = 0\nDO WHILE TRUE\n  n = n + 1\nLOOP", 2),
    ("n = 0\nDO\n  n = n + 1\nLOOP UNTIL FALSE", 2),
    ("n = 0\nWHILE 1 = 1\n  n = n + 1\nWEND", 2),
    ("FOR i = 1 TO 10 STEP 0\n  x = i\nNEXT", 1),
    ("TALK 1\nFOR i = 1 TO 100000\nNEXT", 2),
])
def test_loops_are_bounded(source, line):
    err = fails_with(source, Limits(loop_iterations=500))
    assert isinstance(err, BasicLimitError)
    assert str(err) == f"line {line}: loop ran more than 500 iterations"


def test_a_loop_may_run_exactly_the_limit():
    result, _ = run_source("FOR i = 1 TO 500\nNEXT\nn = 0\nDO WHILE n < 500\n  n = n + 1\nLOOP",
                           limits=Limits(loop_iterations=500))
    assert result.status == "finished"


def test_each_loop_execution_has_its_own_count():
    result, _ = run_source("FOR k = 1 TO 5\n  FOR i = 1 TO 400\n  NEXT\nNEXT",
                           limits=Limits(loop_iterations=500))
    assert result.status == "finished"


def test_recursion_is_bounded():
    err = fails_with("FUNCTION F(n)\n  RETURN F(n + 1) + 1\nEND FUNCTION\nTALK F(1)",
                     Limits(call_depth=30))
    assert isinstance(err, BasicLimitError)
    assert str(err) == "line 2: calls nested more than 30 deep"


def test_instruction_budget_per_slice():
    err = fails_with("again:\nx = x + 1\nGOTO again", Limits(instructions_per_slice=1000))
    assert isinstance(err, BasicLimitError)
    assert re.fullmatch(r"line [23]: script ran more than 1000 instructions in one slice",
                        str(err))


def test_the_budget_is_per_slice():
    source = "FOR i = 1 TO 3\n  FOR j = 1 TO 200\n  NEXT\n  WAIT 1\nNEXT"
    limits = Limits(instructions_per_slice=600)
    straight, _ = run_source(source, limits=limits)
    sliced, _ = run_source(source, limits=limits, suspend_everywhere=True)
    assert straight.status == "failed" and isinstance(straight.error, BasicLimitError)
    assert sliced.status == "finished"


def test_strings_are_bounded():
    err = fails_with('s = "ab"\nDO\n  s = s + s\nLOOP', Limits(string_length=5000))
    assert isinstance(err, BasicLimitError)
    assert str(err) == "line 3: string longer than 5000 characters"


def test_templates_are_bounded():
    err = fails_with('s = "abcdefgh"\nt = "${s}${s}${s}"', Limits(string_length=20))
    assert str(err) == "line 2: string longer than 20 characters"


def test_lists_are_bounded():
    err = fails_with("items = []\nFOR i = 1 TO 100\n  APPEND items, i\nNEXT",
                     Limits(list_length=50))
    assert isinstance(err, BasicLimitError)
    assert str(err) == "line 3: list longer than 50 items"


def test_waits_are_bounded():
    err = fails_with("WAIT 100", Limits(wait_seconds_max=10))
    assert str(err) == "line 1: WAIT needs 0 to 10 seconds, got 100"
    assert str(fails_with("DELAY -1")) == "line 1: DELAY needs 0 to 31622400 seconds, got -1"


def test_limit_errors_are_not_swallowed_by_on_error_or_retry():
    err = fails_with("ON ERROR RESUME NEXT\nDO\nLOOP\nTALK 1", Limits(loop_iterations=10))
    assert isinstance(err, BasicLimitError)
    result, host = run_source("SUB Spin()\n  DO\n  LOOP\nEND SUB\nSTEP 1: CALL Spin()\n  RETRY 3",
                              limits=Limits(loop_iterations=10))
    assert isinstance(result.error, BasicLimitError)
    assert not any("attempt 2" in line for line in host.transcript)


SHARED = 's = SPACE(1000)\na = [s, s, s, s, s, s, s, s, s, s]\nb = [a, a, a, a, a, a, a, a, a, a]\n'
# ten references to ten references ... to one text of 1000 characters: 10**12 characters of text,
# which no builder could make before looking at its length
HUGE = "v = SPACE(1000)\nFOR i = 1 TO 9\n  v = [v, v, v, v, v, v, v, v, v, v]\nNEXT\n"


@pytest.mark.parametrize("statement", [
    "t = TOJSON(v)", 't = "x" & v', 't = v + "x"', 't = "${v}!"', 't = JOIN(v, "-")', 't = v.join("-")',
    't = FORMAT(v)', 't = [1, v].toString()', 't = {"v": v}.toString()',
    't = FORMAT(TODAY(), REPLACE(SPACE(8000), " ", "MMMM "))',
])
def test_text_built_from_shared_references_stops_at_the_limit(statement):
    err = fails_with(HUGE + statement, Limits(string_length=50_000))
    assert isinstance(err, BasicLimitError)
    assert str(err) == "line 5: string longer than 50000 characters"


@pytest.mark.parametrize("statement", [
    't = REPLACE(s, " ", s)', 't = s.replace(" ", s)', 't = s.replaceAll(" ", s)',
])
def test_replace_knows_its_size_before_building_the_text(statement):
    # ten million spaces, each replaced by ten million: 10**14 characters were built, then measured
    err = fails_with("s = SPACE(10000000)\n" + statement)
    assert str(err) == "line 2: string longer than 10000000 characters"


def test_text_within_the_limit_counts_the_same_references():
    result, host = run_source(SHARED + "t = TOJSON(b)\nTALK LEN(t)", limits=Limits(string_length=200_000))
    assert result.status == "finished" and host.transcript == ["100321"]


def test_a_value_doubling_by_reference_cannot_hang_a_statement():
    source = "v = [1]\nFOR i = 1 TO 60\n  v = [v, v]\nNEXT\nIF v = v THEN TALK \"same\"\nt = TOJSON(v)"
    err = fails_with(source, Limits(string_length=10_000))  # 2**60 items: a full walk never ends
    assert str(err) == "line 6: string longer than 10000 characters"


def test_the_saved_state_counts_shared_references_and_names_the_limit():
    from generalbots.basic import VM, compile_program, parse

    program = compile_program(parse(SHARED + "WAIT 1\n", "heavy.bas"))
    vm = VM(program, FakeHost(program=program, suspend_everywhere=True), limits=Limits(state_bytes=90_000))
    assert vm.run().status == "suspended"
    with pytest.raises(BasicLimitError, match="the run's data would take more than 90000 bytes to save"):
        vm.state
    assert len(json.dumps(vm.snapshot(max_bytes=120_000))) > 100_000


@pytest.mark.parametrize("source, message", [
    ("x = 1\ny = 1e308 * 10", "line 2: number too large (beyond 1.8e+308)"),
    ("x = -1e308\ny = x - 1e308", "line 2: number too large (beyond -1.8e+308)"),
    ("y = SUM(1e308, 1e308)", "line 1: number too large (beyond 1.8e+308)"),
    ('y = JSON("[1e999]")', 'line 1: invalid JSON "[1e999]": the number 1e999 is too large'),
    ('y = "1e999" * 1', 'line 1: cannot multiply text and number: cannot use "1e999" as a number'),
])
def test_numbers_never_become_infinite(source, message):
    assert str(fails_with(source)) == message


def test_a_script_calling_itself_in_the_console_fails_on_its_call_line(tmp_path):
    import io

    from generalbots.basic.console import run_script

    (tmp_path / "start.bas").write_text("TALK 1\nCALL again\n")
    (tmp_path / "again.bas").write_text("x = 1\nCALL again\n")
    out = io.StringIO()

    assert run_script(tmp_path / "start.bas", stdout=out) == 1
    assert out.getvalue().splitlines()[-1] == (
        f"{tmp_path / 'start.bas'}:2:1: again.bas failed: line 2: CALL again: calls nested deeper than 20")


def test_calls_count_across_scripts_in_the_console(tmp_path):
    import io

    from generalbots.basic.console import run_script

    (tmp_path / "start.bas").write_text("FUNCTION F(n)\n  IF n > 0 THEN F(n - 1) ELSE CALL leaf\nEND FUNCTION\nF(20)\n")
    (tmp_path / "leaf.bas").write_text("FUNCTION G(n)\n  IF n > 0 THEN G(n - 1)\nEND FUNCTION\nG(20)\n")
    out = io.StringIO()

    assert run_script(tmp_path / "start.bas", stdout=out, limits=Limits(call_depth=30)) == 1
    assert out.getvalue().splitlines()[-1].endswith("leaf.bas failed: line 2: calls nested more than 30 deep")


# ---------------------------------------------------------------------------- Python internals


@pytest.mark.parametrize("expr", [
    '"abc".__class__', "obj.__dict__", "obj.__class__", "[1].__class__",
    'obj["__class__"]', "obj.__init__", "NOW().__class__", "x.__globals__",
    '"abc"._private', "obj.__class__.__mro__",
])
def test_dunder_members_read_as_null(expr):
    result, host = run_source(f'obj = {{"a": 1}}\nx = 5\nv = {expr}\nTALK v IS NULL')
    assert result.status == "finished"
    assert host.transcript == ["true"]


@pytest.mark.parametrize("call", [
    '"abc".__len__()', '"abc".__class__()', "[1, 2].__getitem__(0)", "obj.__setattr__(1, 2)",
    '"{}".format(1)', "obj.keys.__call__()", "[1].__reduce__()",
])
def test_dunder_and_python_methods_cannot_be_called(call):
    result, _ = run_source(f'obj = {{"a": 1}}\nv = {call}')
    assert result.status == "failed"
    assert "method" in str(result.error) or "unknown" in str(result.error)


@pytest.mark.parametrize("source", [
    'x = EVAL("1 + 1")', 'x = EXEC("print(1)")', 'x = GETATTR("a", "upper")',
    'x = OPEN("/etc/passwd")', 'x = COMPILE("1")', 'x = __import__("os")', 'x = globals()',
])
def test_python_builtins_are_not_functions(source):
    try:
        result, _ = run_source(source)
    except BasicSyntaxError:
        return
    assert result.status == "failed"
    assert "unknown function" in str(result.error)


def test_assigning_a_dunder_member_only_sets_a_key():
    result, host = run_source('obj = {}\nobj.__class__ = "x"\nTALK obj')
    assert host.transcript == ['{"__class__":"x"}']


def test_variables_only_ever_hold_basic_values():
    source = ('a = "x".__class__\nb = NOW()\nc = [1, {"k": NULL}]\nd = 1 / 3\ne = TRUE\n'
              'f = SPLIT("a,b", ",")\ng = obj.__dict__')
    allowed = (type(None), bool, int, float, str, list, dict, BasicDate)

    from generalbots.basic import VM, compile_program, parse
    vm = VM(compile_program(parse(source, "t.bas")), FakeHost())
    assert vm.run().status == "finished"

    def check(v):
        assert isinstance(v, allowed), type(v)
        if isinstance(v, list):
            for x in v:
                check(x)
        if isinstance(v, dict):
            for x in v.values():
                check(x)
    for value in vm.globals.values():
        check(value)


def test_no_module_evaluates_or_imports_by_name():
    pattern = re.compile(r"\b(eval|exec)\(|__import__|importlib|\bsetattr\(")
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
