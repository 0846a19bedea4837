"""BASIC <-> graph: the designer's two views of one program (DESIGN.md section 7).

``graph_from_basic`` builds the canvas graph from a program's AST and source text;
``basic_from_graph`` writes it back. Unedited, the round trip gives the same text.
"""

from .build import FORMAT, graph_from_basic, split_lines
from .kinds import CODE, CONTAINERS, KINDS, LEAVES
from .render import GraphError, basic_from_graph

__all__ = ["CODE", "CONTAINERS", "FORMAT", "KINDS", "LEAVES", "GraphError", "basic_from_graph",
           "graph_from_basic", "split_lines"]
