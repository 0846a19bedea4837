"""Property: a random small program gives the same transcript run straight or suspended,
JSON round-tripped and restored in a new VM at every suspension point."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generalbots.basic.testing import deterministic, run_source

VARS = ("a", "b", "c")


@st.composite
def expressions(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(st.one_of(st.integers(0, 9).map(str), st.sampled_from(VARS)))
    op = draw(st.sampled_from(["+", "-", "*"]))
    return f"({draw(expressions(depth - 1))} {op} {draw(expressions(depth - 1))})"


@st.composite
def conditions(draw):
    op = draw(st.sampled_from(["<", ">", "=", "<>", ">="]))
    return f"{draw(expressions(1))} {op} {draw(expressions(1))}"


@st.composite
def blocks(draw, depth, loop_vars, allow_call=True):
    count = draw(st.integers(1, 3))
    return [line for _ in range(count)
            for line in draw(statements(depth, loop_vars, allow_call))]


@st.composite
def statements(draw, depth, loop_vars, allow_call=True):
    kinds = ["assign", "talk", "hear", "wait"]
    if depth > 0:
        kinds += ["if", "for", "each"]
    if allow_call:
        kinds.append("call")
    kind = draw(st.sampled_from(kinds))
    if kind == "assign":
        return [f"{draw(st.sampled_from(VARS))} = {draw(expressions())}"]
    if kind == "talk":
        return [f'TALK "t{draw(st.integers(0, 99))} " & {draw(expressions())}']
    if kind == "hear":
        return [f"HEAR {draw(st.sampled_from(VARS))} AS INTEGER"]
    if kind == "wait":
        return [f"WAIT {draw(st.integers(0, 5))}"]
    if kind == "call":
        return [f"CALL Helper({draw(expressions(1))})"]
    inner = draw(blocks(depth - 1, loop_vars + 1, allow_call))
    pad = ["  " + line for line in inner]
    if kind == "if":
        other = draw(st.one_of(st.none(), blocks(depth - 1, loop_vars + 1, allow_call)))
        lines = [f"IF {draw(conditions())} THEN", *pad]
        if other is not None:
            lines += ["ELSE", *["  " + line for line in other]]
        return lines + ["END IF"]
    var = f"i{loop_vars}"
    if kind == "for":
        return [f"FOR {var} = 1 TO {draw(st.integers(0, 3))}", *pad, f"NEXT {var}"]
    return [f"FOR EACH {var} IN [{draw(st.integers(0, 9))}, {draw(st.integers(0, 9))}]",
            *pad, "NEXT"]


@st.composite
def programs(draw):
    helper = draw(blocks(1, 10, allow_call=False))
    main = draw(blocks(3, 0))
    return "\n".join(["SUB Helper(p)", '  TALK "in helper " & p',
                      *["  " + line for line in helper], "END SUB", *main,
                      'TALK "end " & a & " " & b & " " & c'])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.lists(st.integers(-5, 20).map(str), min_size=0, max_size=30))
def test_straight_and_suspended_runs_have_the_same_transcript(source, answers):
    with deterministic():
        straight, host1 = run_source(source, answers=answers)
        suspended, host2 = run_source(source, answers=answers, suspend_everywhere=True)
    assert host2.transcript == host1.transcript
    assert suspended.status == straight.status
    assert str(suspended.error) == str(straight.error)
    if any(line.startswith(("> ", "[WAIT")) for line in host1.transcript):
        assert host2.suspensions > 0
