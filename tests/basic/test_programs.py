"""Golden programs: every tests/basic/programs/**/NAME.bas runs straight and suspended.

See tests/basic/programs/README.md for the file format. Each program runs twice: straight
(the FakeHost answers at once) and with ``suspend_everywhere`` (every suspension is JSON
round-tripped into a new VM on a freshly compiled program); both must match the expected
files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.limits import Limits
from generalbots.basic.fake_host import show
from generalbots.basic.testing import deterministic, run_source

PROGRAMS = Path(__file__).parent / "programs"
CASES = sorted(PROGRAMS.rglob("*.bas"))
SUSPENDING = ("> ", "[WAIT ", "[HUMAN APPROVAL ", "[BOT \"", "[PARALLEL ", "[DELEGATE ")
HOST_OPTIONS = ("llm", "bots", "http", "events", "approvals", "delegates", "scripts",
                "config", "roles", "kb")


def read_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if not text:
        return []
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def run_case(bas: Path, suspend: bool):
    config_path = bas.with_suffix(".json")
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
    in_path = bas.with_suffix(".in")
    answers = read_lines(in_path) if in_path.exists() else []
    limits = Limits(**config.get("limits", {}))
    options = {k: config[k] for k in HOST_OPTIONS if k in config}
    source = bas.read_text(encoding="utf-8")
    if "prelude" in config:
        source = (PROGRAMS.parent / config["prelude"]).read_text(encoding="utf-8") + source
    with deterministic():
        result, host = run_source(source, path=bas.name,
                                  suspend_everywhere=suspend, answers=answers, limits=limits,
                                  variables=config.get("variables"), **options)
    lines = [entry.replace("\n", "\\n") for entry in host.transcript]
    if result.status == "finished" and result.value is not None:
        lines.append(f"=> {show(result.value)}")
    if result.status == "cancelled":
        lines.append(f"[CANCELLED {result.value}]")
    if suspend and any(line.startswith(SUSPENDING) for line in lines):
        assert host.suspensions > 0, "the suspended run never suspended"
    return result, lines


def case_id(bas: Path) -> str:
    return bas.relative_to(PROGRAMS).with_suffix("").as_posix()


def test_there_are_golden_programs():
    assert len(CASES) >= 200


@pytest.mark.parametrize("mode", ["straight", "suspended"])
@pytest.mark.parametrize("bas", CASES, ids=case_id)
def test_program(bas: Path, mode: str):
    out, err = bas.with_suffix(".out"), bas.with_suffix(".err")
    assert out.exists() or err.exists(), f"{bas.name} needs a .out or a .err file"
    try:
        result, lines = run_case(bas, suspend=mode == "suspended")
    except BasicSyntaxError as exc:
        assert err.exists(), f"unexpected syntax error: {exc}"
        assert str(exc) == err.read_text(encoding="utf-8").strip()
        assert not out.exists(), "a script with a syntax error produces no transcript"
        return
    if err.exists():
        assert result.status == "failed", f"expected an error, the run {result.status}"
        assert str(result.error) == err.read_text(encoding="utf-8").strip()
    else:
        assert result.error is None, f"unexpected error: {result.error}"
        assert result.status in ("finished", "cancelled")
    if out.exists():
        assert lines == read_lines(out)
