"""The operator's log at INFO: one line when a top-level run starts and one when it ends, none
for its child runs or its slices that only wait."""

import logging

import pytest

from workflows.services import execution_start
from tests.workflows.engine_helpers import drive, make_bot

pytestmark = pytest.mark.django_db


def run_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO and r.getMessage().startswith("Run ")]


def test_a_run_logs_its_start_and_its_end_once(caplog):
    make_bot("helper", 'TALK "hi"\n')
    bot = make_bot("orchestrator", 'ORCHESTRATE WORKFLOW "w"\nSTEP 1: BOT "helper" "go"\nWAIT 0\nTALK "done"\n')
    with caplog.at_level(logging.INFO, logger="workflows"):
        execution = drive(execution_start(bot=bot))
    lines = run_lines(caplog)
    assert execution.status == "completed"
    assert lines[0] == f"Run {execution.pk} of bot orchestrator started (start.bas)"
    assert len(lines) == 2 and lines[1].startswith(f"Run {execution.pk} of bot orchestrator completed in ")


def test_a_failed_run_says_so(caplog):
    bot = make_bot("fragile", "x = 1 / 0\n")
    with caplog.at_level(logging.INFO, logger="workflows"):
        execution = drive(execution_start(bot=bot))
    assert run_lines(caplog)[-1].startswith(f"Run {execution.pk} of bot fragile failed in ")
