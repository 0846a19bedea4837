"""``python manage.py chat BOT`` in a terminal, and a conversation that survives a restart."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.bots.conftest import REPO, install_package, load
from tests.conftest import clean_env


def test_an_unknown_bot_is_an_error_naming_it(db):
    with pytest.raises(CommandError, match="No bot named 'nobody'."):
        call_command("chat", "nobody", stdout=StringIO())


@pytest.mark.django_db
def test_chat_reads_lines_and_prints_replies(demo_bot, monkeypatch):
    monkeypatch.setattr(sys, "stdin", StringIO("Order\n\nsome\n"))
    out = StringIO()

    call_command("chat", "demo", "--user", "tester", stdout=out)

    assert out.getvalue().splitlines() == [
        "Welcome to Acme!", "[suggestions: Order | Ask]",
        "How many boxes?",
        "Please answer with a whole number.", "How many boxes?",
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_conversation_continues_at_the_same_line_after_a_restart(tmp_path):
    """Two server processes, one after the other, share nothing but PostgreSQL."""
    install_package(tmp_path / "pkgs")
    load(tmp_path / "pkgs", "demo")
    settings = connection.settings_dict
    env = clean_env(
        DJANGO_SETTINGS_MODULE="generalbots.settings.test",
        DATABASE_URL=f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}",
        GB_STORAGE_DIR=str(tmp_path / "storage"),
    )

    def chat(lines: str) -> list[str]:
        done = subprocess.run([sys.executable, "manage.py", "chat", "demo", "--user", "restart"], cwd=REPO, env=env,
                              input=lines, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    first = chat("Order\n3\n")
    second = chat("ana@example.com\n")
    third = chat("no\n")

    assert first == ["Welcome to Acme!", "[suggestions: Order | Ask]", "How many boxes?", "Your email?"]
    assert second == ["Is it urgent?"]
    assert third == ["Order of 3 for ana@example.com.", "Your total is 24.5."]
