"""The inputs of a workflow for the designer's *Run* form: its PARAM names, then the variables
it reads before any statement sets them (in source order, each once)."""

from __future__ import annotations

from generalbots.basic import ast
from generalbots.basic.checker import children
from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.parser import parse


def _reads(node: ast.Node, found: list[str]) -> None:
    if isinstance(node, ast.Name):
        found.append(node.name)
    for child in children(node):
        _reads(child, found)


def workflow_inputs(source: str) -> list[str]:
    """Input names of ``source`` (empty when it does not parse: the form is refused then)."""
    try:
        program = parse(source)
    except BasicSyntaxError:
        return []
    params: list[str] = []
    free: list[str] = []
    assigned: set[str] = set()

    def visit(stmts) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.Param):
                params.append(stmt.name)
                assigned.add(stmt.name.lower())
                continue
            target = getattr(stmt, "target", None) if isinstance(stmt, (ast.Assign, ast.Hear)) else None
            reads: list[str] = []
            for child in children(stmt):
                if child is target or isinstance(child, (ast.IfBranch, ast.Case, ast.Branch)) or \
                        child in getattr(stmt, "body", ()) or child in (getattr(stmt, "otherwise", None) or ()):
                    continue
                _reads(child, reads)
            for name in reads:
                if name.lower() not in assigned and name not in free:
                    free.append(name)
            if isinstance(target, ast.Name):
                assigned.add(target.name.lower())
            if isinstance(stmt, (ast.ForEach, ast.ForRange)):
                assigned.add(stmt.var.lower())
            for branch in getattr(stmt, "branches", ()):
                if isinstance(branch, ast.IfBranch):
                    visit([ast.ExprStmt(branch.cond, line=branch.line)])
                visit(branch.body)
            for case in getattr(stmt, "cases", ()):
                visit(case.body)
            if getattr(stmt, "body", None) is not None and isinstance(stmt.body, tuple):
                visit(stmt.body)
            if getattr(stmt, "otherwise", None):
                visit(stmt.otherwise)
    visit(program.body)
    return params + [name for name in free if name.lower() not in {p.lower() for p in params}]
