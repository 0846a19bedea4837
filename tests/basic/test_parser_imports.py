"""The parser modules import one way (issue 14 item 8): the ``basic-parser`` contract of
``.importlinter`` holds, and every parser module imports on its own in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARSER_MODULES = sorted(p.stem for p in (ROOT / "generalbots" / "basic").glob("parser*.py"))


def test_parser_import_contract_is_kept():
    # given the project's import contracts, when import-linter checks the parser's one
    done = subprocess.run([Path(sys.executable).with_name("lint-imports"), "--contract",
                           "basic-parser", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    # then it is kept
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("module", PARSER_MODULES)
def test_each_parser_module_imports_first(module):
    # given a fresh interpreter, when the module is the first of the parser to be imported
    done = subprocess.run([sys.executable, "-c", f"import generalbots.basic.{module}"], cwd=ROOT,
                          capture_output=True, text=True)
    # then no partially initialised module stops it (a cycle would)
    assert done.returncode == 0, done.stderr
