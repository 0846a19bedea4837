"""Fixtures of the language tests."""

from pathlib import Path

import pytest

# The multi-agent example of BASIC.md section 5, verbatim, kept once: the corpus test parses it,
# test_parser checks its tree, golden programs run it through their "prelude" (programs/README.md).
REFUND_FLOW = Path(__file__).parent / "corpus" / "refund-flow.bas"


@pytest.fixture
def refund_flow_source() -> str:
    """The source of the BASIC.md section 5 example (``corpus/refund-flow.bas``)."""
    return REFUND_FLOW.read_text(encoding="utf-8")
