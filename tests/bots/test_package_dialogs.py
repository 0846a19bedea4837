"""Dialogs, problems, knowledge bases and themes of packages; versions; zip uploads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from generalbots.bots.choices import Channel
from generalbots.bots.models import Bot, BotScript
from generalbots.bots.packages import services as package_services
from generalbots.bots.services import bot_reload, conversation_get_or_create, package_upload, packages_load
from workflows.conversations import conversation_post_message
from generalbots.core.exceptions import ApplicationError
from tests.bots.conftest import install_package, load, write_package

pytestmark = pytest.mark.django_db


def test_the_demo_package_loads_every_dialog_wherever_it_sits(tmp_path):
    install_package(tmp_path)
    bot = load(tmp_path, "demo")

    scripts = {s.name: s.path for s in BotScript.objects.current().filter(bot=bot)}
    assert scripts == {
        "start": "demo.gbdialog/start.bas",
        "order": "demo.gbdialog/flows/order.bas",
        "weather": "demo.gbdialog/weather.bas",
        "broken": "demo.gbdialog/broken.bas",
        "notes": "notes.bas",
    }
    assert set(BotScript.objects.tools().filter(bot=bot).values_list("name", flat=True)) == {"weather"}
    assert bot.manifest["knowledge_bases"] == [{"name": "faq", "path": "demo.gbkb/faq", "files": 1}]
    assert ".gb-bot { color: #123456; }" in bot.theme_css


def test_problems_are_kept_on_the_bot_and_the_script_and_the_package_still_loads(tmp_path):
    install_package(tmp_path)
    bot = load(tmp_path, "demo")

    found = {(p["path"], p["line"], p["severity"], p["message"]) for p in bot.problems}
    assert ("demo.gbdialog/broken.bas", 2, "error", "FOR without NEXT (opened at line 2)") in found
    assert ("notes.bas", 0, "note", "dialog outside demo.gbdialog/: loaded anyway") in found
    assert BotScript.objects.get(bot=bot, name="broken").has_errors
    assert not BotScript.objects.get(bot=bot, name="start").problems


def test_irregular_layouts_other_dialog_folders_and_duplicate_names(tmp_path):
    package = tmp_path / "odd.gbai"
    (package / "legacy.gbdialog" / "deep").mkdir(parents=True)
    (package / "legacy.gbdialog" / "deep" / "start.bas").write_text('TALK "from legacy"\n')
    (package / "odd.gbdialog").mkdir()
    (package / "odd.gbdialog" / "Start.bas").write_text('TALK "from home"\n')
    (package / "odd.gbdrive").mkdir()
    (package / "odd.gbdrive" / "data.bas").write_text("not a dialog")
    (package / "odd.gbdialog" / "latin.bas").write_bytes(b'TALK "caf\xe9"\n')

    bot = load(tmp_path, "odd")

    current = {s.name: s.path for s in BotScript.objects.current().filter(bot=bot)}
    assert current == {"start": "odd.gbdialog/Start.bas"}
    messages = {(p["path"], p["severity"]): p["message"] for p in bot.problems}
    assert messages[("legacy.gbdialog/deep/start.bas", "warning")] == (
        "a dialog named 'start' is already loaded from odd.gbdialog/Start.bas: this one is ignored")
    assert messages[("odd.gbdialog/latin.bas", "error")].startswith("not UTF-8 text")


def test_an_unreadable_config_is_a_problem_not_a_failure(tmp_path):
    bad = write_package(tmp_path, "bad", {"start.bas": 'TALK "ok"\n'})
    (bad / "bad.gbot" / "config.csv").write_bytes(b"\xff\xfe\x00 not text")

    bot = load(tmp_path, "bad")

    assert bot.config == {}
    assert [(p["path"], p["severity"]) for p in bot.problems] == [("bad.gbot/config.csv", "error")]


def test_a_package_that_cannot_load_does_not_stop_the_others(tmp_path, monkeypatch):
    write_package(tmp_path, "good", {"start.bas": 'TALK "ok"\n'})
    write_package(tmp_path, "bad", {"start.bas": 'TALK "ok"\n'})
    real = package_services.bot_upsert_from_package

    def upsert(*, package, organization=None):
        if package.name == "bad":
            raise OSError("disk on fire")
        return real(package=package, organization=organization)

    monkeypatch.setattr(package_services, "bot_upsert_from_package", upsert)

    results = {r.name: (r.status, r.detail) for r in packages_load(roots=[tmp_path])}

    assert results == {"bad": ("failed", "OSError: disk on fire"), "good": ("created", "")}
    assert Bot.objects.filter(name="good").exists()


def test_a_run_in_flight_keeps_the_script_it_started_with(tmp_path, user):
    package = write_package(tmp_path, "pinned", {"start.bas": 'HEAR name\nTALK "v1: hello " + name\n'})
    bot = load(tmp_path, "pinned")
    early = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_post_message(conversation=early, text="hi")

    (package / "pinned.gbdialog" / "start.bas").write_text('HEAR name\nTALK "v2: hi " + name\n')
    assert bot_reload(bot=bot) == "updated"
    late = conversation_get_or_create(bot=bot, user=user, channel=Channel.WEB)
    conversation_post_message(conversation=late, text="hi")

    assert [m.text for m in conversation_post_message(conversation=early, text="Ana").replies] == ["v1: hello Ana"]
    assert [m.text for m in conversation_post_message(conversation=late, text="Bo").replies] == ["v2: hi Bo"]
    assert BotScript.objects.filter(bot=bot, name="start").count() == 2
    assert BotScript.objects.current().filter(bot=bot, name="start").get().source.startswith('HEAR name\nTALK "v2')


def test_reloading_an_unchanged_package_changes_nothing(tmp_path):
    write_package(tmp_path, "calm", {"start.bas": 'TALK "ok"\n'})
    bot = load(tmp_path, "calm")

    assert bot_reload(bot=bot) == "unchanged"
    assert BotScript.objects.filter(bot=bot).count() == 1


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_uploading_a_zip_installs_and_loads_the_package(tmp_path):
    data = zip_bytes({"shop.gbai/shop.gbdialog/start.bas": b'TALK "welcome"\n',
                      "shop.gbai/shop.gbot/config.csv": b"name,value\nTitle,Shop\n"})

    result = package_upload(file=SimpleUploadedFile("shop.zip", data), filename="shop.zip")

    assert (result.name, result.status) == ("shop", "created")
    assert result.path == tmp_path / "uploads" / "default" / "shop.gbai"
    assert Bot.objects.get(name="shop").title == "Shop"
    assert BotScript.objects.get(bot__name="shop").source == 'TALK "welcome"\n'


def test_a_zip_of_the_package_contents_is_named_after_the_file(tmp_path):
    data = zip_bytes({"tiny.gbdialog/start.bas": b'TALK "hi"\n'})

    result = package_upload(file=SimpleUploadedFile("tiny.gbai.zip", data), filename="tiny.gbai.zip")

    assert result.name == "tiny"
    assert (tmp_path / "uploads" / "default" / "tiny.gbai" / "tiny.gbdialog" / "start.bas").is_file()


@pytest.mark.parametrize("entry", ["../evil.bas", "shop.gbai/../../evil.bas", "/etc/evil.bas"])
def test_zip_slip_entries_are_refused_and_nothing_is_written(tmp_path, entry):
    data = zip_bytes({"shop.gbai/shop.gbdialog/start.bas": b"TALK 1\n", entry: b"x"})

    with pytest.raises(ApplicationError, match="points outside the package"):
        package_upload(file=SimpleUploadedFile("shop.zip", data), filename="shop.zip")

    assert not (tmp_path / "evil.bas").exists()
    assert not (tmp_path / "uploads" / "default" / "shop.gbai").exists()
    assert not Bot.objects.filter(name="shop").exists()


def test_uploads_over_the_size_limit_or_not_zip_are_refused():
    with override_settings(GB_PACKAGE_UPLOAD_MAX_BYTES=10):
        with pytest.raises(ApplicationError, match="the limit is 10"):
            package_upload(file=SimpleUploadedFile("big.zip", b"x" * 11), filename="big.zip")
    with pytest.raises(ApplicationError, match="not a zip file"):
        package_upload(file=SimpleUploadedFile("x.zip", b"plain text"), filename="x.zip")
    with override_settings(GB_PACKAGE_UNPACKED_MAX_BYTES=100):
        with pytest.raises(ApplicationError, match="unpacks to 1000 bytes"):
            package_upload(file=SimpleUploadedFile("b.zip", zip_bytes({"b.gbai/a.txt": b"0" * 1000})), filename="b.zip")
