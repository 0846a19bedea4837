"""Calls to a bot's embedding endpoint are bounded: a total deadline and a reply size limit."""

import time

import pytest

from memory import embeddings
from tests.memory.conftest import make_bot, run_script
from tests.outbound_servers import hostile_server  # noqa: F401  (fixture)
from workflows.choices import ExecutionStatus

pytestmark = pytest.mark.django_db

DEADLINE = 2.0


def test_a_trickling_embedding_endpoint_fails_the_run_at_the_deadline(org, user, hostile_server, monkeypatch):
    monkeypatch.setattr(embeddings, "TIMEOUT", DEADLINE)
    bot = make_bot("keeper", org, **{"embedding-url": hostile_server.url("/trickle")})
    started = time.monotonic()

    _, run = run_script(bot, 'REMEMBER "k", "some text"\n', user=user)

    assert time.monotonic() - started < DEADLINE + 5
    assert run.status == ExecutionStatus.FAILED
    assert (f"The embedding endpoint {hostile_server.url('/trickle/embeddings')} failed: "
            "no complete answer within 2 s") in run.error


def test_a_huge_embedding_reply_is_cut_off(org, user, hostile_server):
    bot = make_bot("keeper", org, **{"embedding-url": hostile_server.url("/huge")})

    _, run = run_script(bot, 'REMEMBER "k", "some text"\n', user=user)

    assert run.status == ExecutionStatus.FAILED
    assert "failed: reply larger than 10 MB" in run.error
    assert hostile_server.sent["/huge/embeddings"] < 60_000_000
