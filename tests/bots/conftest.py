import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from generalbots.bots.models import Bot
from generalbots.bots.services import packages_load
from tests import factories

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "packages"


def install_package(root: Path, name: str = "demo", *, llm_url: str | None = None, extra_config: str = "") -> Path:
    """Copy a fixture package under ``root``; point it at ``llm_url`` when given."""
    target = root / f"{name}.gbai"
    shutil.copytree(FIXTURES / f"{name}.gbai", target)
    config = target / f"{name}.gbot" / "config.csv"
    lines = config.read_text()
    if llm_url:
        lines += f"llm-url,{llm_url}\n"
    config.write_text(lines + extra_config)
    return target


def write_package(root: Path, name: str, dialogs: dict[str, str], config: str = "") -> Path:
    """A package with ``dialogs`` (file name -> source) in NAME.gbdialog/."""
    package = root / f"{name}.gbai"
    (package / f"{name}.gbdialog").mkdir(parents=True)
    (package / f"{name}.gbot").mkdir()
    (package / f"{name}.gbot" / "config.csv").write_text("name,value\n" + config)
    for filename, source in dialogs.items():
        path = package / f"{name}.gbdialog" / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return package


def load(root: Path, name: str) -> Bot:
    results = packages_load(roots=[root])
    assert [r.status for r in results if r.name == name] in (["created"], ["updated"], ["unchanged"]), results
    return Bot.objects.get(name=name)


@pytest.fixture(autouse=True)
def storage(tmp_path):
    with override_settings(GB_STORAGE_DIR=tmp_path / "storage", GB_PACKAGE_UPLOAD_DIR=tmp_path / "uploads"):
        yield tmp_path / "storage"


def grant(user, bot: Bot, *, operate: bool = False):
    """A bot access grant for ``user`` on ``bot`` (read-only unless ``operate``): what chatting needs."""
    return factories.BotAccessFactory(user=user, bot=bot, can_operate=operate)


@pytest.fixture
def demo_bot(tmp_path, llm_server, user) -> Bot:
    """The demo package, its LLM at the test server (model ``demo-model``); ``user`` (ana)
    has a read-only grant on it, so she may chat with it."""
    install_package(tmp_path / "pkgs", llm_url=llm_server.url + "/v1")
    bot = load(tmp_path / "pkgs", "demo")
    grant(user, bot)
    return bot


@pytest.fixture
def user():
    return factories.UserFactory(username="ana")
