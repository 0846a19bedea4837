"""BASIC <-> graph (designer.graph): lossless round trips, canvas edits that touch only their lines,
and the graphs BASIC cannot express."""

import copy
import difflib
from pathlib import Path

import pytest

from designer.graph import GraphError, basic_from_graph, graph_from_basic
from generalbots.basic.checker import check
from generalbots.basic.parser import parse

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = sorted(
    [*(REPO / "tests/basic/programs").rglob("*.bas"), *(REPO / "bottemplates").rglob("*.bas"),
     *(REPO / "tests/basic/corpus").rglob("*.bas")])

SAMPLE = '''\
' Refund flow
PARAM amount AS number

TALK "Checking " & amount   ' trailing note
IF amount > 100 THEN
    ' big ones need a person
    STEP 1: HUMAN APPROVAL FROM "manager@example.com"
    TIMEOUT 3600
ELSE IF amount > 10 THEN
    STEP 2: BOT "refunds" "refund small"
ELSE
    TALK "Too small"
END IF
FOR EACH item IN items
    PUBLISH EVENT "refunded"
NEXT item
WAIT 5
'''


def kinds(nodes):
    """The graph's shape: kind, fields and nested bodies, without ids or source text."""
    return [(n["kind"], n["fields"], [kinds(s["body"]) for s in n.get("slots", [])]) for n in nodes]


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_program_round_trips_identically(path):
    source = path.read_bytes().decode("utf-8")

    assert basic_from_graph(graph_from_basic(source)) == source


def test_the_program_has_a_place_for_every_statement_and_comment():
    graph = graph_from_basic(SAMPLE)

    assert graph["error"] is None
    assert [n["kind"] for n in graph["body"]] == ["code", "talk", "condition", "loop", "delay"]
    param, talk, condition, loop, delay = graph["body"]
    assert param["lead"] == "' Refund flow\n" and talk["lead"] == "\n"
    assert talk["fields"] == {"message": "\"Checking \" & amount   ' trailing note"}
    assert [s["fields"]["header"] for s in condition["slots"]] == ["", "ELSE IF amount > 10 THEN", "ELSE"]
    approval = condition["slots"][0]["body"][0]
    assert approval["kind"] == "approval" and approval["lead"] == "    ' big ones need a person\n"
    assert approval["fields"] == {"step": "1", "approver": '"manager@example.com"'}
    assert approval["rest"] == "    TIMEOUT 3600\n"
    assert condition["slots"][1]["body"][0]["fields"] == {"step": "2", "bot": "refunds", "action": '"refund small"'}
    assert condition["end"] == "END IF\n"
    assert loop["slots"][0]["body"][0]["kind"] == "publish" and loop["end"] == "NEXT item\n"
    assert delay["fields"] == {"seconds": "5"}


def test_editing_a_node_changes_only_its_line():
    graph = graph_from_basic(SAMPLE)
    graph["body"][2]["slots"][1]["body"][0]["fields"]["bot"] = "billing"

    after = basic_from_graph(graph)

    assert changed_lines(SAMPLE, after) == ['-    STEP 2: BOT "refunds" "refund small"',
                                            '+    STEP 2: BOT "billing" "refund small"']


def test_editing_a_condition_changes_only_its_divider_line():
    graph = graph_from_basic(SAMPLE)
    graph["body"][2]["slots"][1]["fields"]["header"] = "ELSE IF amount > 50 THEN"

    assert changed_lines(SAMPLE, basic_from_graph(graph)) == ["-ELSE IF amount > 10 THEN",
                                                              "+ELSE IF amount > 50 THEN"]


def test_a_new_node_is_one_new_line_indented_like_its_siblings():
    graph = graph_from_basic(SAMPLE)
    graph["body"][3]["slots"][0]["body"].append({"id": "new1", "kind": "talk", "fields": {"message": "item"}})

    after = basic_from_graph(graph)

    assert changed_lines(SAMPLE, after) == ["+    TALK item"]
    assert kinds(graph_from_basic(after)["body"]) == kinds(graph["body"])


def test_a_new_container_gets_its_closing_line_and_its_children_inside():
    graph = graph_from_basic("TALK 1\n")
    graph["body"].append({"id": "c1", "kind": "condition", "fields": {"header": "IF x > 1 THEN"},
                          "slots": [{"body": [{"id": "t1", "kind": "talk", "fields": {"message": '"big"'}}]},
                                    {"fields": {"header": "ELSE"}, "body": []}]})

    after = basic_from_graph(graph)

    assert after == 'TALK 1\nIF x > 1 THEN\n    TALK "big"\nELSE\nEND IF\n'
    parse(after)


def test_deleting_and_moving_nodes_touch_only_their_lines():
    graph = graph_from_basic(SAMPLE)
    body = graph["body"]
    body.insert(1, body.pop(4))  # WAIT 5 moves up, its text unchanged
    del body[3]["slots"][2]["body"][0]  # the ELSE branch loses its TALK

    after = basic_from_graph(graph)

    assert sorted(changed_lines(SAMPLE, after)) == sorted(['+WAIT 5', '-WAIT 5', '-    TALK "Too small"'])


def test_the_last_line_without_a_newline_can_move():
    source = "TALK 1\r\nTALK 2"
    graph = graph_from_basic(source)
    assert basic_from_graph(graph) == source
    graph["body"].reverse()

    assert basic_from_graph(graph) == "TALK 2\r\nTALK 1\r\n"


def test_a_program_with_a_syntax_error_opens_as_code_nodes_with_the_error():
    source = "TALK 1\nFOR EACH x IN items\n  TALK x\n"

    graph = graph_from_basic(source)

    assert graph["error"]["line"] == 2 and "NEXT" in graph["error"]["message"]
    assert [n["kind"] for n in graph["body"]] == ["code", "code", "code"]
    assert basic_from_graph(graph) == source


def test_a_program_the_lexer_rejects_is_one_code_node():
    source = 'TALK "never closed\n'

    graph = graph_from_basic(source)

    assert "string" in graph["error"]["message"]
    assert [n["fields"]["code"] for n in graph["body"]] == [source]
    assert basic_from_graph(graph) == source


def test_prose_and_statements_the_designer_does_not_model_stay_as_code():
    source = "This bot says hello.\nx = 1\nSEND MAIL to, \"s\", \"b\"\n"

    graph = graph_from_basic(source)

    assert [n["kind"] for n in graph["body"]] == ["code", "code", "code"]
    assert basic_from_graph(graph) == source


@pytest.mark.parametrize("mutate, message", [
    (lambda g: g["body"][0].update(kind="teleport"), "unknown kind 'teleport'"),
    (lambda g: g["body"][2]["fields"].update(header="TALK 1"), "a condition starts with a line like"),
    (lambda g: g["body"][2]["slots"].reverse(), "the first body of a condition follows its opening line"),
    (lambda g: g["body"][2]["slots"][1]["fields"].update(header="ELSE"), "ELSE must be the last branch"),
    (lambda g: g["body"][3]["slots"].append({"body": []}), "a loop has one body, not 2"),
    (lambda g: g["body"].append(copy.deepcopy(g["body"][1])), "appears twice"),
    (lambda g: g["body"][1]["fields"].update(message=7), "message must be text"),
    (lambda g: g["body"][4]["fields"].update(seconds="5\nTALK 2"), "do not make a delay line"),
])
def test_a_graph_basic_cannot_express_is_refused_naming_the_node(mutate, message):
    graph = graph_from_basic(SAMPLE)
    mutate(graph)

    with pytest.raises(GraphError, match=message) as info:
        basic_from_graph(graph)
    assert info.value.extra["node"]


def test_edited_sample_is_still_a_program_the_checker_accepts():
    graph = graph_from_basic(SAMPLE)
    graph["body"][1]["fields"]["message"] = '"Refunding " & amount'

    program = parse(basic_from_graph(graph))

    assert [d for d in check(program) if d.severity == "error"] == []


def test_rendering_says_where_each_node_starts():
    graph = graph_from_basic(SAMPLE)
    lines: dict[str, int] = {}

    basic_from_graph(graph, lines)

    talk, condition = graph["body"][1], graph["body"][2]
    assert lines[talk["id"]] == 4 and lines[condition["id"]] == 5
    assert lines[condition["slots"][2]["body"][0]["id"]] == 12
