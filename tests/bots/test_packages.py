from pathlib import Path

import pytest
from django.test import override_settings

from generalbots.bots.models import Bot
from generalbots.bots.packages import discover, read_config, read_package, version_hash
from generalbots.bots.services import packages_load


def make_package(root: Path, name: str, config: str = "name,value\nTitle,Sales desk\n", dialog: str = 'TALK "hi"\n') -> Path:
    package = root / f"{name}.gbai"
    (package / f"{name}.gbot").mkdir(parents=True)
    (package / f"{name}.gbot" / "config.csv").write_text(config)
    (package / f"{name}.gbdialog").mkdir()
    (package / f"{name}.gbdialog" / "start.bas").write_text(dialog)
    return package


def test_config_csv_skips_header_comments_and_blank_rows(tmp_path):
    package = make_package(
        tmp_path,
        "sales",
        'name,value\n# a comment\n\nTitle,Sales desk\nGreeting,"Hello, friend"\nPrompt,one, two\n  ,orphan\n',
    )

    assert read_config(package) == {"Title": "Sales desk", "Greeting": "Hello, friend", "Prompt": "one, two"}


def test_a_package_without_config_has_an_empty_config(tmp_path):
    package = tmp_path / "bare.gbai"
    package.mkdir()

    assert read_package(package).config == {}
    assert read_package(package).title == "Bare"


def test_discover_finds_nested_packages_and_a_root_that_is_a_package(tmp_path):
    nested = make_package(tmp_path / "team" / "crm", "leads")
    direct = make_package(tmp_path / "other", "helpdesk")
    (tmp_path / "notes").mkdir()

    assert list(discover([tmp_path / "team", direct])) == [nested.resolve(), direct.resolve()]


def test_version_hash_follows_content_and_ignores_hidden_files(tmp_path):
    package = make_package(tmp_path, "sales")
    before = version_hash(package)

    (package / ".DS_Store").write_text("junk")
    unchanged = version_hash(package)
    (package / "sales.gbdialog" / "start.bas").write_text('TALK "bye"\n')
    changed = version_hash(package)

    assert before == unchanged != changed


@pytest.mark.django_db
def test_loading_creates_then_leaves_alone_then_updates_the_bot(tmp_path):
    package = make_package(tmp_path, "sales")

    first = packages_load(roots=[tmp_path])
    second = packages_load(roots=[tmp_path])
    (package / "sales.gbot" / "config.csv").write_text("Title,New desk\n")
    third = packages_load(roots=[tmp_path])

    assert [r.status for r in first + second + third] == ["created", "unchanged", "updated"]
    bot = Bot.objects.get(name="sales")
    assert (bot.title, bot.config, bot.source_path) == ("New desk", {"Title": "New desk"}, str(package.resolve()))
    assert bot.organization.slug == "default"
    assert bot.version_hash == version_hash(package)


@pytest.mark.django_db
def test_a_second_package_with_the_same_name_is_skipped(tmp_path):
    make_package(tmp_path / "a", "sales")
    make_package(tmp_path / "b", "sales")

    results = packages_load(roots=[tmp_path / "a", tmp_path / "b"])

    assert [r.status for r in results] == ["created", "skipped"]
    assert Bot.objects.get(name="sales").source_path.startswith(str((tmp_path / "a").resolve()))


@pytest.mark.django_db
def test_default_roots_include_gb_bots_dirs(tmp_path):
    make_package(tmp_path / "mine", "mybot")
    empty_templates = tmp_path / "templates"
    empty_templates.mkdir()

    with override_settings(GB_TEMPLATES_DIR=empty_templates, GB_BOTS_DIRS=[tmp_path / "mine"]):
        results = packages_load()

    assert [(r.name, r.status) for r in results] == [("mybot", "created")]


def test_a_missing_gb_bots_dirs_folder_is_a_system_check_warning(tmp_path):
    from generalbots.bots.checks import check_bots_dirs

    with override_settings(GB_BOTS_DIRS=[tmp_path, tmp_path / "typo"]):
        warnings = check_bots_dirs(None)

    assert [w.id for w in warnings] == ["bots.W001"]
    assert "typo" in warnings[0].msg
