"""The VM's public contract: slices, JSON state, restore, effect keys, events, child units."""

from __future__ import annotations

import json

import pytest

from generalbots.basic import (VM, BasicRuntimeError, Suspend, VMStateError, compile_program,
                               parse)
from generalbots.basic.fake_host import FakeHost, drive
from generalbots.basic.testing import deterministic, run_source


def compile_src(source: str, path: str = "t.bas"):
    return compile_program(parse(source, path))


def roundtrip(vm: VM, program=None, host=None) -> VM:
    state = json.loads(json.dumps(vm.state))
    return VM.restore(program or vm.program, state, host or vm.host)


# ---------------------------------------------------------------------------- results


def test_finished_run_returns_the_top_level_return_value():
    result, host = run_source('TALK "hi"\nRETURN 6 * 7')
    assert (result.status, result.value, result.error) == ("finished", 42, None)
    assert host.transcript == ["hi"]


def test_failed_run_keeps_a_state_showing_the_failing_line():
    program = compile_src('x = 1\nTALK "ok"\ny = x / 0\nTALK "never"')
    vm = VM(program, FakeHost())
    result = vm.run()
    assert result.status == "failed"
    assert str(result.error) == "line 3: division by zero"
    state = json.loads(json.dumps(vm.state))
    assert state["status"] == "failed"
    assert state["error"]["line"] == 3 and state["error"]["message"] == "division by zero"
    frame = state["frames"][0]
    assert program.units[frame["unit"]].lines[frame["pc"]] == 3


def test_a_finished_vm_cannot_be_resumed_and_a_suspended_one_cannot_be_run():
    program = compile_src("WAIT 1")
    host = FakeHost(suspend_everywhere=True)
    vm = VM(program, host)
    assert vm.run().status == "suspended"
    with pytest.raises(VMStateError):
        vm.run()
    assert vm.resume(None).status == "finished"
    with pytest.raises(VMStateError):
        vm.resume(None)


def test_initial_variables_are_case_insensitive_param_values():
    result, host = run_source('PARAM City AS STRING DEFAULT "Recife"\nTALK city & " " & tier',
                              variables={"TIER": "gold"})
    assert host.transcript == ["Recife gold"]
    result, host = run_source('PARAM city AS STRING DEFAULT "Recife"\nTALK city',
                              variables={"city": "Natal"})
    assert host.transcript == ["Natal"]


def test_param_lines_describe_the_tool():
    program = compile_src('DESCRIPTION "Books a table"\n'
                          'PARAM guests AS INTEGER LIKE 4 DESCRIPTION "How many" OPTIONAL\n'
                          'PARAM day AS DATE DEFAULT "today"\nRETURN guests')
    assert program.description == "Books a table"
    assert [(p.name, p.type_name, p.optional, p.has_default) for p in program.params] == \
        [("guests", "INTEGER", True, False), ("day", "DATE", False, True)]
    assert program.params[0].description == "How many"
    assert program.params[0].example == 4


# ---------------------------------------------------------------------------- state


def test_state_is_plain_json_at_every_suspension():
    source = ('ORCHESTRATE WORKFLOW "w"\nd = TODAY()\nitems = [1, 2.5, {"a": [TRUE, NULL]}]\n'
              'FOR EACH it IN items\n  HEAR x\nNEXT\nON EVENT "e" DO\n  TALK "e"\nEND ON\n'
              'WAIT 1')
    program = compile_src(source)
    host = FakeHost(answers=["a", "b", "c"], suspend_everywhere=True, program=program)
    vm = VM(program, host)
    result = vm.run()
    seen = 0
    while result.status == "suspended":
        text = json.dumps(vm.state)  # no custom encoder
        assert json.loads(text)["program_hash"] == program.hash
        seen += 1
        vm = VM.restore(program, json.loads(text), host)
        result = vm.resume(host.take_pending())
    assert seen == 4 and result.status == "finished"


def test_restore_refuses_a_state_of_another_script_version():
    program = compile_src('WAIT 1\nTALK "v1"')
    host = FakeHost(suspend_everywhere=True)
    vm = VM(program, host)
    vm.run()
    edited = compile_src('WAIT 1\nTALK "v2"')
    with pytest.raises(BasicRuntimeError, match="another version"):
        VM.restore(edited, json.loads(json.dumps(vm.state)), host)
    assert VM.restore(compile_src('WAIT 1\nTALK "v1"'), vm.state, host).status == "suspended"


def test_the_same_source_always_compiles_to_the_same_hash():
    assert compile_src("x = 1\nTALK x").hash == compile_src("x = 1\nTALK x").hash
    assert compile_src("x = 1\nTALK x").hash != compile_src("x = 2\nTALK x").hash


def test_wait_spec_lists_the_events_the_run_handles():
    program = compile_src('ON EVENT "refund_failed" DO\n  TALK "x"\nEND ON\nWAIT 5')
    vm = VM(program, FakeHost(suspend_everywhere=True))
    result = vm.run()
    assert result.wait == {"kind": "timer", "seconds": 5, "events": ["refund_failed"]}


# ---------------------------------------------------------------------------- effect keys


class KeyHost(FakeHost):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.all_keys = []

    def talk(self, ctx, text):
        self.all_keys.append(ctx.key)
        return super().talk(ctx, text)

    def wait(self, ctx, seconds):
        self.all_keys.append(ctx.key)
        return super().wait(ctx, seconds)


def test_a_rerun_slice_reproduces_the_same_effect_keys():
    program = compile_src('TALK "a"\nWAIT 1\nTALK "b"\nTALK "c"\nWAIT 2\nTALK "d"')
    host = KeyHost(suspend_everywhere=True)
    vm = VM(program, host)
    vm.run()
    committed = json.dumps(vm.state)
    answers = []
    for _ in range(2):  # the same slice, re-run twice from the committed state
        again = KeyHost(suspend_everywhere=True)
        vm2 = VM.restore(program, json.loads(committed), again)
        vm2.resume(None)
        answers.append((again.all_keys, again.transcript))
    assert answers[0] == answers[1]
    assert answers[0][0] == [(3, 3), (4, 4), (5, 5)]
    assert host.all_keys == [(1, 1), (2, 2)]


# ---------------------------------------------------------------------------- events


def test_deliver_event_runs_the_handler_and_waits_again_without_redoing_the_effect():
    program = compile_src('ON EVENT "refund_failed" DO\n  TALK "failed: " & event_data.id\n'
                          'END ON\nHEAR answer\nTALK "answer " & answer')
    host = FakeHost(answers=["yes"], suspend_everywhere=True)
    vm = VM(program, host)
    first = vm.run()
    pending = host.take_pending()
    vm = roundtrip(vm)
    again = vm.deliver_event("refund_failed", {"id": 7})
    assert again.status == "suspended" and again.wait == first.wait
    assert vm.deliver_event("unrelated", None).wait == first.wait
    vm = roundtrip(vm)
    assert vm.resume(pending).status == "finished"
    assert host.transcript == ["> yes", "failed: 7", "answer yes"]


def test_events_delivered_while_a_handler_waits_are_queued():
    program = compile_src('ON EVENT "ping" DO\n  WAIT 1\n  TALK "pong " & event_data\n'
                          'END ON\nHEAR answer\nTALK "end"')
    host = FakeHost(answers=["x"], suspend_everywhere=True)
    vm = VM(program, host)
    vm.run()
    hear_answer = host.take_pending()
    r = vm.deliver_event("ping", 1)
    assert r.wait["kind"] == "timer"
    host.take_pending()
    r = roundtrip(vm).deliver_event("ping", 2)  # a copy: the queue lives in the state
    assert r.wait["kind"] == "timer"
    vm.deliver_event("ping", 2)
    vm = roundtrip(vm)
    r = vm.resume(None)
    assert r.wait["kind"] == "timer"  # the queued handler started
    r = vm.resume(host.take_pending())
    assert r.status == "suspended" and r.wait["kind"] == "hear"
    assert vm.resume(hear_answer).status == "finished"
    assert host.transcript == ["> x", "[WAIT 1]", "pong 1", "[WAIT 1]", "pong 2", "end"]


def test_deliver_event_needs_a_suspended_run():
    vm = VM(compile_src('TALK "x"'), FakeHost())
    with pytest.raises(VMStateError):
        vm.deliver_event("x")


# ---------------------------------------------------------------------------- children


def test_for_unit_runs_a_branch_and_reports_changed_variables():
    program = compile_src('PARALLEL\n  BRANCH A\n    total = total + 1\n    fresh = "new"\n'
                          '  END BRANCH\nEND PARALLEL')
    (unit,) = program.branch_units()
    host = FakeHost()
    vm = VM.for_unit(program, unit, {"total": 1, "same": "x"}, host)
    assert vm.run().status == "finished"
    assert vm.changed_variables() == {"total": 2, "fresh": "new"}


def test_parallel_results_merge_in_branch_order():
    program = compile_src('PARALLEL\n  BRANCH A: v = "a"\n  BRANCH B: v = "b"\nEND PARALLEL\n'
                          'TALK v')

    class ReversedHost(FakeHost):
        def parallel(self, ctx, branches, variables):
            self.seen = (branches, variables)
            return [{"label": "A", "variables": {"v": "a"}, "output": []},
                    {"label": "B", "variables": {"v": "b"}, "output": []}]

    host = ReversedHost()
    VM(program, host, variables={"n": 1}).run()
    assert host.transcript[-2:] == ["[LOG warning: PARALLEL branches wrote the same variables: v]",
                                    "b"]
    branches, variables = host.seen
    assert [b["label"] for b in branches] == ["A", "B"]
    assert variables == {"n": 1}


def test_bot_call_gets_the_workflow_variables_and_merges_changes():
    class BotHost(FakeHost):
        def bot_call(self, ctx, bot, action, variables):
            self.seen = (bot, action, variables, ctx.timeout, ctx.step)
            return {"variables": {"result": variables["amount"] * 2}, "output": ["done"]}

    host = BotHost()
    program = compile_src('amount = 21\nSTEP 5: BOT "calc" "double it"\n  TIMEOUT 30\n'
                          'TALK result')
    assert VM(program, host).run().status == "finished"
    assert host.seen == ("calc", "double it", {"amount": 21}, 30, "5")
    assert host.transcript == ["[STEP 5]", '[END STEP 5 completed output=["done"]]', "42"]


def test_http_calls_send_the_headers_set_in_the_run():
    result, host = run_source('SET HEADER "X-Key", "k1"\nr = GET "https://a.example/x"\n'
                              'CLEAR HEADERS\nr = GET "https://a.example/y"')
    assert host.headers_seen == [{"X-Key": "k1"}, {}]


def test_save_matches_variables_to_columns_by_name():
    result, host = run_source('Name = "Ana"\nAge = 30\nSAVE "people", Name, Age, 5')
    assert host.tables["people"] == [{"name": "Ana", "age": 30, "field3": 5}]


def test_host_exceptions_become_errors_naming_the_line():
    class Broken(FakeHost):
        def llm(self, ctx, prompt, options):
            raise ConnectionError("provider down")

    program = compile_src('TALK "a"\nx = LLM "q"')
    result = VM(program, Broken()).run()
    assert str(result.error) == ("line 2: internal error running this statement "
                                 "(the server log has the details)")
    assert "provider down" not in str(result.error)  # no Python text reaches the script


def test_drive_returns_the_last_vm():
    program = compile_src("WAIT 1\nx = 5")
    host = FakeHost(suspend_everywhere=True)
    result, vm = drive(VM(program, host), host)
    assert result.status == "finished" and vm.globals["x"] == 5


def test_deterministic_clock_and_random():
    with deterministic():
        _, h1 = run_source("TALK NOW()\nTALK RANDOM()")
    with deterministic():
        _, h2 = run_source("TALK NOW()\nTALK RANDOM()")
    assert h1.transcript == h2.transcript
    assert h1.transcript[0] == "2024-01-15 10:30:00"


def test_a_host_may_suspend_any_keyword():
    class SlowMemory(FakeHost):
        def memory_get(self, ctx, scope, key):
            return Suspend({"kind": "memory"})

    program = compile_src('v = GET BOT MEMORY("k")\nTALK "v=" & v')
    host = SlowMemory()
    vm = VM(program, host)
    assert vm.run().wait == {"kind": "memory"}
    assert roundtrip(vm).resume("stored").status == "finished"
    assert host.transcript == ["v=stored"]


def test_a_posted_form_gives_its_handler_fields_and_metadata():
    program = compile_src('ON FORM SUBMIT "landing"\n  TALK fields.email & " via " & metadata.utm_source\n'
                          'END ON\nHEAR answer\n')
    host = FakeHost(answers=["ok"], suspend_everywhere=True)
    vm = VM(program, host)
    vm.run()
    vm.deliver_event("form:landing", {"fields": {"email": "a@b.c"}, "metadata": {"utm_source": "ads"}})
    assert host.transcript[-1] == "a@b.c via ads"


def test_on_form_submit_handles_the_forms_event():
    program = compile_src('ON FORM SUBMIT "contact"\n  TALK "Thanks, " & event_data.name\nEND ON\n'
                          'HEAR answer\nTALK "end"')
    host = FakeHost(answers=["ok"], suspend_everywhere=True)
    vm = VM(program, host)
    vm.run()
    pending = host.take_pending()
    vm.deliver_event("form:other", {"name": "Bob"})
    again = vm.deliver_event("form:contact", {"name": "Ana"})
    assert again.status == "suspended"
    assert vm.resume(pending).status == "finished"
    assert host.transcript == ["> ok", "Thanks, Ana", "end"]
