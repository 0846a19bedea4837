"""``gb check`` and ``gb run``: the language's command-line entry points."""

import json

import pytest
from django.core.management.base import CommandError

from tests.conftest import gb


@pytest.fixture
def scripts(tmp_path):
    (tmp_path / "bot.gbdialog" / "sub").mkdir(parents=True)
    (tmp_path / "bot.gbdialog" / "start.bas").write_text('TALK "What is your name?"\nHEAR name\nTALK "Hello, " + name\n')
    (tmp_path / "bot.gbdialog" / "sub" / "odd.bas").write_text('SEND SMS "+1555", "hi"\nHEAR x AS COLOR\n')
    (tmp_path / "broken.bas").write_text('FOR EACH x IN items\n  TALK x\n')
    return tmp_path


def test_check_reports_each_problem_and_a_summary_and_fails(scripts):
    status, out = gb("check", str(scripts))

    lines = out.strip().splitlines()
    assert status == 1
    assert lines[-1] == "checked 3 files: 2 ok, 1 with errors"
    assert any(line.startswith(f"{scripts / 'broken.bas'}:1:") and "error:" in line for line in lines)
    assert any(line.startswith(f"{scripts / 'bot.gbdialog' / 'sub' / 'odd.bas'}:2:") and "warning: unknown HEAR type" in line
               for line in lines)


def test_check_passes_when_only_warnings(scripts):
    status, out = gb("check", str(scripts / "bot.gbdialog"))

    assert status == 0
    assert out.strip().splitlines()[-1] == "checked 2 files: 2 ok, 0 with errors"


def test_check_json_has_one_entry_per_file(scripts):
    status, out = gb("check", "--json", str(scripts))

    data = json.loads(out)
    assert status == 1
    assert len(data["files"]) == 3
    broken = next(f for f in data["files"] if f["path"].endswith("broken.bas"))
    assert broken["errors"] and broken["errors"][0]["line"] == 1


def test_run_uses_inputs_for_hear(scripts):
    status, out = gb("run", str(scripts / "bot.gbdialog" / "start.bas"), "--input", "Ana")

    assert status == 0
    assert "What is your name?" in out
    assert "Hello, Ana" in out


def test_run_reports_a_runtime_error_with_path_and_line(scripts):
    status, out = gb("run", str(scripts / "bot.gbdialog" / "sub" / "odd.bas"))

    assert status == 1
    assert f"{scripts / 'bot.gbdialog' / 'sub' / 'odd.bas'}:1:" in out
    assert "SEND SMS is not available here" in out


def test_run_batch_reports_every_file_as_json_and_fails_on_errors(scripts):
    status, out = gb("run", "--batch", "--offline", "--json", "--timeout", "5",
                     "--input", "Ana", str(scripts))

    data = json.loads(out)
    outcomes = {f["path"].rsplit("/", 1)[-1]: (f["outcome"], f["line"]) for f in data["files"]}
    assert status == 1
    assert outcomes == {"broken.bas": ("error", 1), "odd.bas": ("completed", None),
                        "start.bas": ("completed", None)}


def test_run_without_batch_takes_one_file(scripts):
    with pytest.raises(CommandError, match="use --batch"):
        gb("run", str(scripts / "broken.bas"), str(scripts / "broken.bas"))


def test_kb_statistics_counts_the_package_knowledge_bases_offline(tmp_path):
    faq = tmp_path / "shop.gbai" / "shop.gbkb" / "faq"
    faq.mkdir(parents=True)
    (faq / "returns.md").write_text("# Returns\n\n" + "word " * 300 + "\n", encoding="utf-8")
    (faq / "hours.txt").write_text("We open at 9.\n", encoding="utf-8")
    (faq / "logo.png").write_bytes(b"\x89PNG")  # not a document
    (tmp_path / "shop.gbai" / "shop.gbkb" / "manuals").mkdir()
    dialog = tmp_path / "shop.gbai" / "shop.gbdialog"
    dialog.mkdir()
    size = sum(p.stat().st_size for p in faq.glob("*.[mt]*"))
    (dialog / "stats.bas").write_text(
        'USE KB "faq"\ns = KB STATISTICS\n'
        'TALK s.documents + " documents, " + s.chunks + " chunks, " + s.bytes + " bytes, " + s.recent_documents + " recent"\n'
        'FOR EACH b IN s.bases\n  TALK b.name + ": " + b.documents + " / " + b.chunks + " / [" + b.collection + "] " + b.state\nNEXT\n',
        encoding="utf-8")

    status, out = gb("run", str(dialog / "stats.bas"))

    assert status == 0, out
    # returns.md: 300 words cut into chunks of 120 overlapping by 25 -> 3; hours.txt -> 1
    assert out.splitlines() == [f"2 documents, 4 chunks, {size} bytes, 2 recent",
                                "faq: 2 / 4 / [] offline", "manuals: 0 / 0 / [] offline"]
    status, out = gb("run", "--batch", "--offline", "--json", str(dialog))
    assert status == 0 and json.loads(out)["files"][0]["outcome"] == "completed"
