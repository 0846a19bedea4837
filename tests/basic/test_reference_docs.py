"""The authors' reference names every builtin and every keyword the language knows."""

import re
from pathlib import Path

import pytest

from generalbots.basic.ast import KEYWORD_FORMS
from generalbots.basic.builtins import BUILTINS

REFERENCE = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "basic-language.md").read_text(encoding="utf-8")
WORDS = REFERENCE.upper()


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_builtin_is_documented(name):
    spellings = {name.upper(), name.upper().replace("_", " ")}  # GROUP_BY is written GROUP BY
    assert any(re.search(rf"\b{re.escape(w)}\b", WORDS) for w in spellings), \
        f"{name.upper()} is missing from the reference"


@pytest.mark.parametrize("keyword", sorted(KEYWORD_FORMS))
def test_every_keyword_is_documented(keyword):
    assert keyword in WORDS, f"{keyword} is missing from the reference"
