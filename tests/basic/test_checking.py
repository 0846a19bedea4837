"""``gb check`` logic: walking folders, classifying problems, the summary and JSON shapes."""

import json

from generalbots.basic.checking import check_paths, format_json, format_text


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folder_is_walked_recursively_for_bas_files_only(tmp_path):
    write(tmp_path, "a.bas", 'TALK "hi"\n')
    write(tmp_path, "deep/er/b.BAS", "x = 1\n")
    write(tmp_path, "notes.txt", "IF without end\n")

    reports = check_paths([tmp_path])

    assert [r.path.split("/")[-1] for r in reports] == ["a.bas", "b.BAS"]
    assert all(r.ok for r in reports)


def test_syntax_error_is_an_error_with_its_position(tmp_path):
    path = write(tmp_path, "bad.bas", 'TALK "ok"\nx = (1 + \n')

    (report,) = check_paths([path])

    assert not report.ok
    assert report.errors[0].line >= 2


def test_unsupported_statement_is_a_warning_not_an_error(tmp_path):
    path = write(tmp_path, "odd.bas", 'PLAY SOUND "ding.mp3"\nTALK "after"\n')

    (report,) = check_paths([path])

    assert report.ok
    assert len(report.warnings) == 1
    assert report.warnings[0].line == 1
    assert "PLAY" in report.warnings[0].message


def test_text_format_has_one_line_per_problem_and_a_summary(tmp_path):
    good = write(tmp_path, "good.bas", 'TALK "hi"\n')
    bad = write(tmp_path, "bad.bas", "IF x THEN\nTALK 1\n")

    text = format_text(check_paths([good, bad]))

    lines = text.splitlines()
    assert lines[-1] == "checked 2 files: 1 ok, 1 with errors"
    assert any(line.startswith(f"{bad}:") and ": error: " in line for line in lines[:-1])
    assert not any(line.startswith(f"{good}:") for line in lines)


def test_json_format_lists_every_checked_file(tmp_path):
    good = write(tmp_path, "good.bas", 'TALK "hi"\n')
    warn = write(tmp_path, "warn.bas", 'PLAY "x"\n')

    data = json.loads(format_json(check_paths([good, warn])))

    assert [f["path"] for f in data["files"]] == [str(good), str(warn)]
    assert data["files"][0] == {"path": str(good), "errors": [], "warnings": []}
    assert data["files"][1]["errors"] == []
    assert data["files"][1]["warnings"][0]["line"] == 1


def test_missing_and_non_utf8_files_are_reported_not_raised(tmp_path):
    latin = tmp_path / "latin.bas"
    latin.write_bytes('TALK "ol\xe1"\n'.encode("latin-1"))

    reports = check_paths([tmp_path / "nope.bas", latin])

    assert [r.ok for r in reports] == [False, False]
    assert "no such file" in reports[0].errors[0].message
    assert "UTF-8" in reports[1].errors[0].message
