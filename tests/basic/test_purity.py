"""The language package stays pure Python: no Django, DRF, Channels or Celery import below
generalbots/basic (DESIGN.md section 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import generalbots.basic

FORBIDDEN = ("django", "rest_framework", "channels", "celery")
PACKAGE = Path(generalbots.basic.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def forbidden_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in FORBIDDEN]
    return found


def test_the_package_has_modules():
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_no_framework(path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


def test_the_check_detects_framework_imports():
    assert forbidden_imports("import django.db\nfrom celery import shared_task\n") == \
        ["django.db", "celery"]
    assert forbidden_imports("from channels.layers import get_channel_layer") == \
        ["channels.layers"]
    assert forbidden_imports("from .values import to_text\nimport json") == []
