import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]

# Variables that choose the mode: test settings set some of them in this process.
_MODE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "QDRANT_URL", "DJANGO_SETTINGS_MODULE",
                   "DJANGO_SECRET_KEY", "SECRET_KEY", "ALLOWED_HOSTS")


def clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment without the mode variables, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items() if k not in _MODE_VARIABLES and not k.startswith("GB_")}
    env.update(overrides)
    return env


def free_port() -> int:
    """A local TCP port nothing listens on (free when asked; a server may take it next)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gb(*args) -> tuple[int, str]:
    """Run ``manage.py gb ...`` in this process; return (exit status, output)."""
    out = io.StringIO()
    status = 0
    try:
        call_command("gb", *args, stdout=out)
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue()


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on."""
    return free_port()


@pytest.fixture
def manage():
    """Run ``manage.py`` in a subprocess; returns the CompletedProcess."""

    def run(*args: str, env: dict[str, str], cwd: Path = REPO, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )

    return run


@pytest.fixture
def org_a():
    """Organization A of the tenancy tests."""
    from tests import factories

    return factories.OrganizationFactory(name="Org A", slug="org-a")


@pytest.fixture
def org_b():
    """Organization B of the tenancy tests: it must never see A's bots, runs or memory."""
    from tests import factories

    return factories.OrganizationFactory(name="Org B", slug="org-b")


from tests.llm_server import llm_server  # noqa: E402, F401  (fixture shared by every test folder)


@pytest.fixture
def alpha_bot():
    """The admin tenancy tests' bot of organization Alpha (its staff user's)."""
    from tests import factories

    return factories.BotFactory(name="alpha-desk", organization=factories.OrganizationFactory(name="Alpha Corp",
                                                                                              slug="alpha"))


@pytest.fixture
def bravo_bot():
    """The admin tenancy tests' bot of organization Bravo (another organization's)."""
    from tests import factories

    return factories.BotFactory(name="bravo-desk", organization=factories.OrganizationFactory(name="Bravo Corp",
                                                                                              slug="bravo"))
