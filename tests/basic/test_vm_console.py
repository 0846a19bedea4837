"""``run_script`` and ConsoleHost: what ``python manage.py gb run`` does."""

from __future__ import annotations

import io

import pytest

from generalbots.basic import BasicRuntimeError
from generalbots.basic.console import ConsoleHost, run_script
from generalbots.basic.host import Effect


def run(tmp_path, source: str, inputs=(), stdin: str = "", name: str = "bot.bas"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    out = io.StringIO()
    code = run_script(path, inputs=inputs, stdout=out, stdin=io.StringIO(stdin))
    return code, out.getvalue(), path


def test_a_finished_script_exits_0_and_prints_its_talks(tmp_path):
    code, out, _ = run(tmp_path, 'TALK "Hello"\nHEAR name\nTALK "Hi " & name\nRETURN 1 + 1',
                       inputs=["Ana"])
    assert code == 0
    assert out.splitlines() == ["Hello", "> Ana", "Hi Ana", "=> 2"]


def test_hear_reads_stdin_after_the_inputs_and_takes_the_default_at_the_end(tmp_path):
    code, out, _ = run(tmp_path, 'HEAR a\nHEAR b\nHEAR c AS INTEGER WITH "c?" DEFAULT 9\n'
                       'TALK a & b & c', inputs=["1"], stdin="2\n")
    assert code == 0
    assert out.splitlines() == ["> 1", "c?", "129"]


def test_a_runtime_error_exits_1_with_path_and_line(tmp_path):
    code, out, path = run(tmp_path, 'TALK "a"\nx = 1 / 0')
    assert code == 1
    assert out.splitlines()[-1] == f"{path}:2:1: division by zero"


def test_a_syntax_error_exits_1(tmp_path):
    code, out, path = run(tmp_path, 'IF x THEN\nTALK "never closed"')
    assert code == 1
    assert out.startswith(f"{path}:")


def test_a_missing_file_exits_1(tmp_path):
    out = io.StringIO()
    assert run_script(tmp_path / "nope.bas", stdout=out) == 1
    assert "cannot read" in out.getvalue()


def test_call_runs_a_sibling_script_with_its_params(tmp_path):
    (tmp_path / "double.bas").write_text("PARAM n AS NUMBER\nRETURN n * 2", encoding="utf-8")
    code, out, _ = run(tmp_path, 'CALL double(21)\nTALK "called"')
    assert code == 0 and out.splitlines() == ["called"]


def test_workflow_waits_resolve_offline(tmp_path):
    source = ('ORCHESTRATE WORKFLOW "w"\nHUMAN APPROVAL FROM "boss"\n  TIMEOUT 5\n'
              '  ON TIMEOUT: REJECT LATE\nTALK approval_status\n'
              'x = WAIT FOR EVENT "e" TIMEOUT 1\nTALK event_timed_out\n'
              'r = LLM "hello"\nTALK r\nWAIT 0')
    code, out, _ = run(tmp_path, source)
    assert code == 0
    lines = out.splitlines()
    assert "rejected" in lines and "true" in lines and "[offline] hello" in lines
    assert lines[-1] == "[end workflow w]"


def test_cancelled_runs_exit_1(tmp_path):
    code, out, _ = run(tmp_path, 'HUMAN APPROVAL FROM "boss"\n  TIMEOUT 5\n  ON TIMEOUT: CANCEL')
    assert code == 1 and "run cancelled" in out


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://localhost:8000/",
                                 "http://10.0.0.5/", "http://[::1]/", "ftp://example.com/x",
                                 "http://169.254.169.254/latest/meta-data"])
def test_http_without_a_network_function_is_refused(url):
    # The language has no network code: `gb run` passes the platform's guarded function
    # (tests/console/test_cli_run_http.py checks the addresses it refuses).
    host = ConsoleHost(stdout=io.StringIO())
    with pytest.raises(BasicRuntimeError, match="this console has no network access"):
        host.http(Effect((1, 1), 1), "GET", url, None, {})


def test_parallel_branches_run_in_the_console(tmp_path):
    code, out, _ = run(tmp_path, 'PARALLEL\n  BRANCH A\n    TALK "in A"\n    a = 1\n'
                       '  END BRANCH\n  BRANCH B: b = 2\nEND PARALLEL\nTALK a + b')
    assert code == 0
    assert out.splitlines() == ["[A] in A", "3"]
