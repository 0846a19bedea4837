"""What every template's test module checks of its files: ``gb check`` clean (no error, no
warning) and the designer's round trip giving every file back identical."""

import json

from tests.conftest import gb
from tests.templates.conftest import TEMPLATES


def assert_checks_clean_and_round_trips(template: str, files: int) -> None:
    folder = str(TEMPLATES / template)
    status, out = gb("check", folder)
    assert status in (0, None) and out.strip() == f"checked {files} files: {files} ok, 0 with errors", out
    assert "warning" not in out.lower(), out

    status, out = gb("roundtrip", "--json", folder)
    assert status in (0, None), out
    checked = json.loads(out)["files"]
    assert len(checked) == files and all(f["identical"] for f in checked), checked
