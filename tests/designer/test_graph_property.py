"""Properties of BASIC <-> graph over generated programs (hypothesis): any text round-trips
identically, and random canvas edits give programs the checker accepts and that re-import to
the same graph."""

import itertools
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.graph import basic_from_graph, graph_from_basic
from generalbots.basic.checker import check
from generalbots.basic.parser import parse
from tests.basic.test_parser_fuzz import TOKENS

PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LEAF_LINES = ['TALK "hi"', "HEAR answer", "WAIT 1", 'PUBLISH EVENT "done"', "x = x + 1",
              "' a note", "", 'TALK "a" +\n    "b"']


def _block(depth: int):
    leaf = st.sampled_from(LEAF_LINES).map(lambda line: [line])
    if depth == 0:
        return st.lists(leaf, max_size=4).map(lambda parts: sum(parts, []))
    inner = _block(depth - 1)
    condition = st.tuples(inner, st.one_of(st.none(), inner)).map(
        lambda t: ["IF x > 1 THEN", *_indent(t[0]), *(["ELSE", *_indent(t[1])] if t[1] is not None else []),
                   "END IF"])
    loop = inner.map(lambda body: ["FOR EACH item IN items", *_indent(body), "NEXT item"])
    handler = inner.map(lambda body: ['ON EVENT "ping" DO', *_indent(body), "END ON"])
    return st.lists(st.one_of(leaf, condition, loop, handler), max_size=4).map(lambda parts: sum(parts, []))


def _indent(lines):
    return ["    " + line if line else line for line in lines]


PROGRAMS = _block(2).map(lambda lines: "x = 0\nitems = [1, 2]\n" + "".join(line + "\n" for line in lines))

NEW_NODES = [
    {"kind": "talk", "fields": {"message": '"new"'}},
    {"kind": "delay", "fields": {"seconds": "2"}},
    {"kind": "publish", "fields": {"event": '"made"'}},
    {"kind": "code", "fields": {"code": "y = 2\n"}},
    {"kind": "condition", "fields": {"header": "IF y = 2 THEN"}, "slots": [{"body": []}]},
    {"kind": "loop", "fields": {"header": "FOR i = 1 TO 3"}, "slots": [{"body": []}]},
]


def shape(nodes):
    """Kinds, fields and nesting; a code node's text without its indentation (a moved code node
    keeps its text as it was)."""
    return [(n["kind"], {k: textwrap.dedent(v).strip() for k, v in n["fields"].items()},
             [shape(s["body"]) for s in n.get("slots", [])]) for n in nodes]


def bodies(nodes):
    """Every body list of the graph (the program's and each slot's)."""
    found = [nodes]
    for node in nodes:
        for slot in node.get("slots", []):
            found.extend(bodies(slot["body"]))
    return found


@PROPERTY
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join))
def test_any_text_round_trips_identically(source):
    assert basic_from_graph(graph_from_basic(source)) == source


@PROPERTY
@given(PROGRAMS)
def test_generated_programs_round_trip_identically(source):
    graph = graph_from_basic(source)

    assert graph["error"] is None
    assert basic_from_graph(graph) == source


@PROPERTY
@given(PROGRAMS, st.lists(st.tuples(st.sampled_from(["insert", "delete", "move", "edit"]),
                                    st.integers(0, 10_000), st.integers(0, 10_000)), max_size=6))
def test_random_canvas_edits_give_checked_programs_that_reimport_to_the_same_graph(source, edits):
    graph = graph_from_basic(source)
    ids = itertools.count()
    for op, a, b in edits:
        blocks = bodies(graph["body"])
        target = blocks[a % len(blocks)]
        if op == "insert":
            new = dict(NEW_NODES[b % len(NEW_NODES)], id=f"new{next(ids)}")
            new = {**new, "slots": [{"body": []} for _ in new.get("slots", [])]} if "slots" in new else new
            target.insert(b % (len(target) + 1), new)
        elif target and op == "delete":
            del target[b % len(target)]
        elif target and op == "move":
            node = target.pop(b % len(target))  # out of the graph, so never moved into itself
            remaining = bodies(graph["body"])
            destination = remaining[a % len(remaining)]
            destination.insert(b % (len(destination) + 1), node)
        elif target and op == "edit":
            node = target[b % len(target)]
            if node["kind"] == "talk":
                node["fields"]["message"] = f'"edited {a}"'

    text = basic_from_graph(graph)

    program = parse(text)
    assert [d.message for d in check(program) if d.severity == "error"] == []
    assert shape(graph_from_basic(text)["body"]) == shape(graph["body"])
