"""Forms of BASIC.md §8 whose behaviour a golden program cannot show: a form posted while the
run waits (ON FORM SUBMIT), the headers an HTTP call sends, a duration kept in the saved state."""

import json

from generalbots.basic import FORM_EVENT_PREFIX
from generalbots.basic.compiler import compile_program
from generalbots.basic.fake_host import FakeHost
from generalbots.basic.parser import parse
from generalbots.basic.testing import deterministic, run_source
from generalbots.basic.values import BasicDuration, decode_value, encode_value
from generalbots.basic.vm import VM


def restored(vm, host):
    state = json.loads(json.dumps(vm.state))
    return VM.restore(vm.program, state, host)


def test_on_form_submit_runs_its_handler_with_the_posted_fields_while_the_run_waits():
    program = compile_program(parse(
        'ON FORM SUBMIT "contact"\n'
        '  TALK "thanks " + fields.name + " (" + metadata.utm_source + ")"\n'
        '  SAVE "leads", fields\n'
        'END ON\n'
        'TALK "form ready"\nHEAR anything\nTALK "bye " + anything'))
    host = FakeHost(answers=["ok"], suspend_everywhere=True)
    vm = VM(program, host)
    first = vm.run()
    assert first.wait["events"] == [FORM_EVENT_PREFIX + "contact"]
    answer = host.take_pending()

    vm = restored(vm, host)
    again = vm.deliver_event(FORM_EVENT_PREFIX + "contact",
                             {"fields": {"name": "Ana", "email": "ana@x.org"},
                              "metadata": {"utm_source": "ads"}})
    assert again.status == "suspended" and again.wait == first.wait
    assert vm.deliver_event(FORM_EVENT_PREFIX + "other", {"fields": {}}).wait == first.wait
    assert restored(vm, host).resume(answer).status == "finished"

    # (the fake host writes the HEAR answer it will give when the HEAR suspends)
    assert host.transcript == ["form ready", "> ok", "thanks Ana (ads)",
                               '[SAVE "leads" {"name":"Ana","email":"ana@x.org"}]', "bye ok"]
    assert host.tables["leads"] == [{"name": "Ana", "email": "ana@x.org"}]


def test_set_header_with_equals_or_comma_is_sent_by_later_calls():
    _result, host = run_source('SET HEADER "X-Token" = "abc"\nkey = "X-Lang"\nSET HEADER key, "pt"\n'
                               'r = GET "https://a.example/x"\nPOST "https://a.example/y", {"a": 1}')
    assert host.headers_seen == [{"X-Token": "abc", "X-Lang": "pt"}] * 2


def test_a_duration_keeps_its_kind_through_the_saved_state():
    assert decode_value(json.loads(json.dumps(encode_value(BasicDuration(1.5))))) == BasicDuration(1.5)
    assert decode_value(json.loads(json.dumps(encode_value({"d": BasicDuration(86400)})))) == \
        {"d": BasicDuration(86400)}
    with deterministic():
        result, host = run_source('d = DAYS(2)\nHEAR x\nTALK TODAY() + d\nTALK TOJSON(#{d: d})\n'
                                  'TALK TYPEOF(d) + " " + (d * 2) + " " + (d + d)',
                                  answers=["go"], suspend_everywhere=True)
    assert host.transcript == ["> go", "2024-01-17", '{"d":172800}', "duration 345600 345600"]
