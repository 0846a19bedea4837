"""The corpus: realistic scripts in the style of real General Bots packages parse, and the
checker finds no errors in them (an unknown statement is an error: the corpus has none)."""

from pathlib import Path

import pytest

from generalbots.basic import ast
from generalbots.basic.checker import check
from generalbots.basic.parser import parse

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.bas"))


def test_corpus_is_not_empty():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_script_parses_without_checker_errors(path):
    program = parse(path.read_text(encoding="utf-8"), str(path))
    errors = [d for d in check(program) if d.severity == "error"]
    assert errors == []


def _walk(node):
    yield node
    for value in (getattr(node, f) for f in node.__dataclass_fields__ if f not in ("line", "col")):
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            for sub in (item if isinstance(item, tuple) else (item,)):
                if isinstance(sub, ast.Node):
                    yield from _walk(sub)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_nodes_have_positions_inside_the_file(path):
    source = path.read_text(encoding="utf-8")
    program = parse(source, str(path))
    last_line = max(source.count("\n") + 1, 1)
    for node in _walk(program):
        assert 1 <= node.line <= last_line, node


def test_channel_settings_are_statements_not_unknown():
    program = parse((Path(__file__).parent / "corpus" / "channel-settings.bas").read_text())
    keywords = [s.keyword for s in program.body if isinstance(s, ast.KeywordStmt)]
    assert keywords == ["SEND SMS", "PLAY", "SET THEME", "SET PAGE MODE", "SET MAX LINES",
                        "DEBUG", "TALK"]


def test_tables_file_declares_tables():
    program = parse((Path(__file__).parent / "corpus" / "tables.bas").read_text())
    assert [t.name for t in program.body] == ["customers", "orders", "Billing"]
