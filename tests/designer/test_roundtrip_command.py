"""``gb roundtrip``: each file identical or not, the syntax error of a file that does not parse,
the reason a file cannot be opened."""

import json

from designer.graph.files import MAX_SOURCE_BYTES
from tests.conftest import gb


def test_json_report_names_each_file_with_its_state(tmp_path):
    (tmp_path / "ok.bas").write_bytes(b'TALK "hi"\r\n\r\nIF x THEN\r\n  TALK 1\r\nEND IF')
    (tmp_path / "broken.bas").write_text("FOR EACH x IN items\n  TALK x\n")
    (tmp_path / "big.bas").write_bytes(b"TALK 1\n" * (MAX_SOURCE_BYTES // 7 + 1))
    (tmp_path / "binary.bas").write_bytes(b"\x00\x01TALK")

    status, out = gb("roundtrip", "--json", str(tmp_path))

    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(out)["files"]}
    assert status == 1
    assert files["ok.bas"] == {"path": str(tmp_path / "ok.bas"), "identical": True}
    assert files["broken.bas"]["identical"] is True
    assert files["broken.bas"]["error"].startswith("line 1: FOR without NEXT")
    assert files["big.bas"]["identical"] is False and "the designer opens programs up to" in files["big.bas"]["error"]
    assert files["binary.bas"]["error"] == "the file is not BASIC text (it holds binary data)"


def test_text_report_ends_with_a_summary_and_succeeds_when_all_are_identical(tmp_path):
    (tmp_path / "a.bas").write_text('TALK "a"\n')

    status, out = gb("roundtrip", str(tmp_path / "a.bas"))

    assert status == 0
    assert out.splitlines() == [f"{tmp_path / 'a.bas'}: identical", "round-tripped 1 files: 1 identical, 0 different"]
