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


def test_unknown_statement_is_an_error_with_a_suggestion(tmp_path):
    path = write(tmp_path, "odd.bas", 'TALKK "hi"\nTALK "after"\n')

    (report,) = check_paths([path])

    assert not report.ok
    assert [(p.line, p.message) for p in report.errors] == [
        (1, "unknown statement TALKK; did you mean TALK?")]


def test_every_problem_of_a_file_is_reported_each_on_its_own_line(tmp_path):
    source = ("x = 1 +\n"              # 1: not joined to the next statement
              "TALK \"ok\"\n"
              "IF x THEN\n"
              "  y = (2 +* 3)\n"       # 4: inside a block, the block still checked
              "END IF\n"
              "NEXT\n"                 # 6: a closer with no opener
              "SET SCHEDULE every 1 hour\n"   # unquoted: accepted
              "z = FOOBAR(1)\n"        # 8
              "EXIT FOR\n")            # 9: a checker error after syntax errors
    path = write(tmp_path, "many.bas", source)

    (report,) = check_paths([path])

    assert [(p.line, p.message) for p in report.errors] == [
        (1, "expected an expression after '+'"),
        (4, "expected an expression after '+', found '*'"),
        (6, "NEXT without FOR"),
        (8, "unknown function FOOBAR"),
        (9, "EXIT FOR outside FOR"),
    ]


def test_a_block_never_closed_is_reported_at_its_opener(tmp_path):
    path = write(tmp_path, "open.bas", "FOR i = 1 TO 3\n  z = ]\nEND IF\nTALK 1\n")

    (report,) = check_paths([path])

    assert [(p.line, p.message) for p in report.errors] == [
        (1, "FOR without NEXT (opened at line 1)"), (2, "unexpected ']'"),
        (3, "END IF without IF")]


def test_bots_of_the_folder_tree_and_of_the_database_are_known(tmp_path):
    (tmp_path / "triage.gbai" / "triage.gbdialog").mkdir(parents=True)
    path = write(tmp_path, "main.gbai/main.gbdialog/start.bas",
                 'BOT "triage" "classify"\nBOT "billing" "charge"\nBOT "ghost" "boo"\n')

    (report,) = check_paths([path], bot_exists=lambda name: name == "billing")

    assert report.ok
    assert [(p.line, p.message) for p in report.warnings] == [
        (3, "no bot named 'ghost' in the database or in this folder tree")]


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
    warn = write(tmp_path, "warn.bas", 'HEAR x AS COLOR\n')

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


def test_call_of_a_script_the_package_does_not_have_is_a_warning(tmp_path):
    write(tmp_path, "p.gbai/p.gbdialog/sub/helper.bas", "RETURN 1\n")
    path = write(tmp_path, "p.gbai/p.gbdialog/start.bas",
                 "CALL helper\nCALL local_sub\nCALL missing(1)\nSUB local_sub\nEND SUB\n")

    (report,) = check_paths([path])

    assert report.ok
    assert [(p.line, p.message) for p in report.warnings] == [
        (3, "CALL missing: no SUB or FUNCTION missing and no missing.bas in this package")]


def test_what_would_fail_at_run_time_is_reported_on_its_line_and_the_rest_still_checked(tmp_path):
    (tmp_path / "triage.gbai" / "triage.gbdialog").mkdir(parents=True)
    dialog = "shop.gbai/shop.gbdialog"
    path = write(tmp_path, f"{dialog}/start.bas",
                 'x = 1 +\n'                                   # 1
                 'TALKK "hi"\n'                                # 2
                 'n = LEN("a", "b")\n'                         # 3: a builtin's arity
                 'if x == "" {\n'                              # 4: JavaScript
                 '  TALK "empty"\n'
                 '}\n'
                 'This bot answers questions about ${topic} for you\n'   # 7: prose
                 'SET SCHEDULE every 1 hour\n'                 # unquoted: accepted, runs
                 'w = UCASEE(name)\n'                          # 9
                 'BOT "triage" "classify"\n'                   # a bot of the folder tree
                 'BOT "ghost" "boo"\n'                         # 11
                 'r = DELEGATE "hi" TO BOT "phantom"\n'        # 12
                 'q = ROUND(1.5, 2, 3)\n'                      # 13
                 'TALK "the last line is checked too" + MID("abc")\n')   # 14
    tables = write(tmp_path, f"{dialog}/tables.bas",
                   "CREATE TABLE orders (id INT, total DECIMAL(10,2))\n"
                   "TABLE items\n  name AS STRING(50)\nEND TABLE\n"
                   "CREATE TABLE IF NOT EXISTS customers (\n  id SERIAL,\n  name VARCHAR(100)\n)\n")

    report, table_report = check_paths([path, tables])

    assert [(p.line, p.message) for p in report.errors] == [
        (1, "expected an expression after '+'"),
        (2, "unknown statement TALKK; did you mean TALK?"),
        (3, "LEN expects 1 argument, got 2"),
        (4, "braces are JavaScript, not BASIC: write IF condition THEN ... END IF"),
        (7, "this line is prose, not a statement (make it a comment with ')"),
        (9, "unknown function UCASEE; did you mean UCASE?"),
        (13, "ROUND expects 1 to 2 arguments, got 3"),
        (14, "MID expects 2 to 3 arguments, got 1"),
    ]
    assert [(p.line, p.message) for p in report.warnings] == [
        (11, "no bot named 'ghost' in the database or in this folder tree"),
        (12, "no bot named 'phantom' in the database or in this folder tree"),
    ]
    sql = "SQL table definitions are not BASIC: declare the table with TABLE name ... END TABLE in tables.bas"
    assert [(p.line, p.message) for p in table_report.errors] == [(1, sql), (5, sql)]


def test_a_script_the_checker_passes_does_not_fail_at_run_time_on_those_reasons(tmp_path):
    from generalbots.basic.batch import run_file
    path = write(tmp_path, "ok.bas", 'SET SCHEDULE every 1 hour\nSET SCHEDULE "daily at 8am"\n'
                                     'n = LEN("abc")\nTALK LEFT("abc", 2)\n')

    (report,) = check_paths([path])

    assert report.ok and report.warnings == []
    assert run_file(path, offline=True).outcome == "completed"


def test_a_prompt_saved_as_bas_runs_as_nothing_and_the_check_says_so(tmp_path):
    notes = write(tmp_path, "prompt.bas", "Sales assistant\n    - Answer like a person would, for ${customer}.\n"
                                          "    For large orders, ask for the address first.\n")
    code = write(tmp_path, "code.bas", "TALK \"hi\"\nFor each order we send a mail\n")

    prose, mixed = check_paths([notes, code])

    assert prose.ok and [(p.line, p.message) for p in prose.warnings] == [
        (1, "no statement here: the file reads as notes or a prompt (prose), not BASIC, and runs as nothing")]
    assert not mixed.ok and [p.line for p in mixed.errors] == [2]  # prose among code stays an error


def test_a_placeholder_in_a_talk_block_that_is_no_expression_is_shown_as_written_with_a_warning(tmp_path):
    from generalbots.basic import compile_program, parse
    from generalbots.basic.fake_host import FakeHost
    from generalbots.basic.vm import VM

    source = "BEGIN TALK\nCall first ${resumo de historico)}\nfor ${name}\nEND TALK\n"
    path = write(tmp_path, "block.bas", source)

    (report,) = check_paths([path])
    host = FakeHost()
    VM(compile_program(parse(source)), host, variables={"name": "Ana"}).run()

    assert report.ok and [(p.line, p.message) for p in report.warnings] == [
        (2, "${resumo de historico)} is not an expression: the text shows it as written")]
    assert host.transcript == ["Call first ${resumo de historico)}\nfor Ana"]
    bad = write(tmp_path, "string.bas", 'TALK "Call ${resumo de historico)}"\n')
    assert not check_paths([bad])[0].ok  # in a string it stays an error
