"""Every suspending statement, in every kind of nesting, resumes exactly where it stopped.

Each case runs straight and with every suspension JSON round-tripped into a new VM on a
freshly compiled program (``suspend_everywhere``); the transcripts must be identical and the
run must really have suspended in the second mode.
"""

from __future__ import annotations

import json

import pytest

from generalbots.basic import VM, compile_program, parse
from generalbots.basic.fake_host import FakeHost, drive
from generalbots.basic.testing import deterministic, run_source

SUSPENDING = {
    "hear": 'HEAR answer AS INTEGER\nTALK "answer " & answer',
    "wait": 'WAIT 2\nTALK "waited"',
    "delay": 'DELAY 3\nTALK "delayed"',
    "wait_event": 'ev = WAIT FOR EVENT "paid" TIMEOUT 60\nTALK "event " & ev.amount & " " & event_timed_out',
    "approval": 'HUMAN APPROVAL FROM "lead@corp.example"\nTALK "approval " & approval_status',
    "bot": 'STEP 1: BOT "triage" "classify"\nTALK "bot " & category',
    "parallel": 'PARALLEL\n  BRANCH A\n    WAIT 1\n    pa = "A"\n  END BRANCH\n'
                '  BRANCH B: pb = "B"\nEND PARALLEL\nTALK "parallel " & pa & pb',
    "delegate": 'reply = DELEGATE "hi" TO BOT "support"\nTALK reply',
}

NESTINGS = {
    "top": "{body}",
    "if": 'IF 1 < 2 THEN\n  IF TRUE THEN\n{body}\n  END IF\nELSE\n  TALK "no"\nEND IF',
    "for_each": 'FOR EACH item IN ["a", "b"]\n  TALK "item " & item\n{body}\nNEXT',
    "for": 'FOR i = 3 TO 1 STEP -2\n  TALK "i " & i\n{body}\nNEXT i',
    "do": 'n = 0\nDO WHILE n < 2\n  n = n + 1\n{body}\nLOOP\nTALK "n " & n',
    "select": 'SELECT CASE "b"\n  CASE "a"\n    TALK "a"\n  CASE "b", "c"\n{body}\n'
              '  CASE ELSE\n    TALK "else"\nEND SELECT',
    "sub": 'SUB Inner(x)\n  TALK "inner " & x\n{body}\nEND SUB\nCALL Inner(1)\nInner(2)',
    "function": 'FUNCTION Wrap(x)\n{body}\n  RETURN x * 10\nEND FUNCTION\n'
                'TALK "wrapped " & (Wrap(1) + Wrap(2))',
    "branch": 'PARALLEL\n  BRANCH only\n{body}\n  END BRANCH\nEND PARALLEL',
    "handler_free_loop": 'ON EVENT "noise" DO\n  TALK "noise"\nEND ON\n'
                         'FOR k = 1 TO 2\n  WHILE FALSE\n  WEND\n{body}\nNEXT',
}

CANNED = dict(
    answers=[str(n) for n in range(10, 40)],
    events={"paid": [{"amount": n} for n in range(1, 20)]},
    bots={"triage": {"variables": {"category": "refund"}, "output": ["ok"]}},
    delegates={"support": "on it"},
)


def indent(text: str, spaces: int = 4) -> str:
    return "\n".join(" " * spaces + line for line in text.split("\n"))


def run(source: str, suspend: bool):
    with deterministic():
        return run_source(source, suspend_everywhere=suspend, **CANNED)


@pytest.mark.parametrize("nesting", NESTINGS)
@pytest.mark.parametrize("statement", SUSPENDING)
def test_suspend_restore_resume_gives_the_straight_transcript(statement, nesting):
    source = NESTINGS[nesting].format(body=indent(SUSPENDING[statement]))
    straight, host1 = run(source, suspend=False)
    suspended, host2 = run(source, suspend=True)
    assert straight.status == "finished", straight.error
    assert suspended.status == "finished", suspended.error
    assert host2.transcript == host1.transcript
    assert len(host1.transcript) >= 2


def test_every_suspension_really_goes_through_json():
    source = NESTINGS["for_each"].format(body=indent(SUSPENDING["hear"]))
    program = compile_program(parse(source, "t.bas"))
    host = FakeHost(answers=["1", "2"], suspend_everywhere=True, program=program)
    vm = VM(program, host)
    result = vm.run()
    kinds = []
    while result.status == "suspended":
        kinds.append(result.wait["kind"])
        state = json.loads(json.dumps(vm.state))
        assert state["status"] == "suspended"
        vm = VM.restore(compile_program(parse(source, "t.bas")), state, host)
        result = vm.resume(host.take_pending())
    assert kinds == ["hear", "hear"]
    assert host.transcript == ["item a", "> 1", "answer 1", "item b", "> 2", "answer 2"]


def test_resume_value_becomes_the_result_of_the_waiting_call():
    program = compile_program(parse('x = LLM "q"\nTALK "got " & x', "t.bas"))

    class SuspendingLLM(FakeHost):
        def llm(self, ctx, prompt, options):
            from generalbots.basic import Suspend
            return Suspend({"kind": "llm"})

    host = SuspendingLLM()
    vm = VM(program, host)
    assert vm.run().wait == {"kind": "llm"}
    vm = VM.restore(program, json.loads(json.dumps(vm.state)), host)
    assert vm.resume("an answer").status == "finished"
    assert host.transcript == ["got an answer"]


def test_nested_loops_with_hear_keep_their_positions():
    source = ('FOR i = 1 TO 2\n  FOR EACH c IN ["x", "y"]\n    HEAR a\n'
              '    TALK i & c & a\n  NEXT\nNEXT')
    straight, h1 = run(source, False)
    suspended, h2 = run(source, True)
    assert h1.transcript == h2.transcript
    assert [t for t in h1.transcript if not t.startswith(">")] == \
        ["1x10", "1y11", "2x12", "2y13"]


def test_child_bot_source_suspending_inside_restores():
    bots = {"child": 'HEAR name\nTALK "hello " & name\ngreeted = name'}
    source = 'STEP 1: BOT "child" "greet"\nTALK "greeted " & greeted'
    with deterministic():
        r1, h1 = run_source(source, bots=bots, answers=["Ana"])
        r2, h2 = run_source(source, bots=bots, answers=["Ana"], suspend_everywhere=True)
    assert r1.status == r2.status == "finished"
    assert h1.transcript == h2.transcript
    assert "greeted Ana" in h1.transcript


def test_drive_helper_recompiles_on_restore():
    source = 'WAIT 1\nTALK "after"'
    calls = []

    def recompile():
        calls.append(1)
        return compile_program(parse(source, "t.bas"))

    program = recompile()
    host = FakeHost(suspend_everywhere=True, program=program)
    result, _ = drive(VM(program, host), host, recompile=recompile)
    assert result.status == "finished"
    assert len(calls) == 2
