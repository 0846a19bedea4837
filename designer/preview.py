"""The live preview: one edit (BASIC typed, or a graph from the canvas) in, the program, its
graph and its problems out. Pure apart from the bot names it is given, so it is what the
benchmark times."""

from __future__ import annotations

from dataclasses import dataclass

from designer.graph import basic_from_graph, graph_from_basic
from designer.validation import problems_of


@dataclass(frozen=True)
class Preview:
    source: str
    graph: dict | None  # None when the BASIC does not parse: the canvas keeps its last good graph
    problems: list[dict]
    lines: dict[str, int]


def preview_of_source(source: str, *, bot_names: set[str]) -> Preview:
    """The preview of BASIC typed by a person."""
    graph = graph_from_basic(source)
    lines: dict[str, int] = {}
    basic_from_graph(graph, lines)
    problems = problems_of(graph, source, lines, bot_names)
    return Preview(source=source, graph=None if graph["error"] else graph, problems=problems, lines=lines)


def preview_of_graph(graph: dict, *, bot_names: set[str]) -> Preview:
    """The preview of a graph edited on the canvas; raises ``GraphError`` naming a node that
    BASIC cannot express."""
    lines: dict[str, int] = {}
    source = basic_from_graph(graph, lines)
    return Preview(source=source, graph=graph, problems=problems_of(graph, source, lines, bot_names), lines=lines)
