"""The file keywords (READ, WRITE, LIST, COPY, MOVE, DELETE FILE) stay inside the bot's own
storage folder, and their errors name the keyword and the script's argument, never a server
path or a Python exception."""

import pytest
from rest_framework.test import APIClient

from generalbots.bots.choices import Channel
from generalbots.bots.models import Bot, Conversation
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_start
from workflows.runtime.keywords.files import storage_path
from tests import factories
from tests.bots.conftest import grant, load, write_package

pytestmark = pytest.mark.django_db


def chat_error(tmp_path, user, source: str, *, name: str = "filer", prepare=None) -> str:
    """Post a message to a bot whose start.bas is ``source`` over the API (after ``prepare(bot)``,
    when given); the error it kept."""
    write_package(tmp_path / "pkgs", name, {"start.bas": source})
    bot = load(tmp_path / "pkgs", name)
    if prepare is not None:
        prepare(bot)
    grant(user, bot)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(f"/api/bots/{name}/messages", {"text": "go"}, format="json")
    assert response.status_code == 200
    assert str(tmp_path) not in response.content.decode()
    return Conversation.objects.get(bot=bot, user=user).last_error


@pytest.mark.parametrize(("source", "error"), [
    ('COPY "/etc/passwd" TO "x"',
     'COPY: "/etc/passwd" is an absolute path; name a file inside this bot\'s storage, like "reports/today.txt"'),
    ('COPY "missing.txt" TO "x"', 'COPY: no file "missing.txt" in this bot\'s storage'),
    ('MOVE "missing.txt" TO "x"', 'MOVE: no file "missing.txt" in this bot\'s storage'),
    ('x = READ "missing.txt"', 'READ: no file "missing.txt" in this bot\'s storage'),
    ('WRITE "/tmp/evil.txt", "x"', 'WRITE: "/tmp/evil.txt" is an absolute path; name a file inside this bot\'s '
                                   'storage, like "reports/today.txt"'),
    ('x = READ "../neighbour/secret.txt"', 'READ: "../neighbour/secret.txt" is outside this bot\'s storage'),
    ('WRITE "a/../../neighbour/secret.txt", "mine now"',
     'WRITE: "a/../../neighbour/secret.txt" is outside this bot\'s storage'),
    ('COPY "../neighbour/secret.txt" TO "loot.txt"', 'COPY: "../neighbour/secret.txt" is outside this bot\'s storage'),
    ('x = LIST ".."', 'LIST: ".." is outside this bot\'s storage'),
    ('WRITE "notes.txt", "a"\nWRITE "notes.txt/inner.txt", "b"',
     'WRITE: a part of "notes.txt/inner.txt" is a file, not a folder'),
    ('WRITE "dir/a.txt", "a"\nx = READ "dir"', 'READ: "dir" is a folder, not a file'),
    ('WRITE "dir/a.txt", "a"\nCOPY "dir/a.txt" TO "dir"', 'COPY: "dir" is a folder, not a file'),
])
def test_file_errors_name_the_keyword_and_the_argument_and_no_server_path(tmp_path, storage, user, source, error):
    (storage / "neighbour").mkdir(parents=True)
    (storage / "neighbour" / "secret.txt").write_text("the neighbour's secret")

    last_error = chat_error(tmp_path, user, source + "\n")

    line = source.count("\n") + 1
    assert last_error == f"filer.gbdialog/start.bas:{line}: {error}"
    assert str(tmp_path) not in last_error and "Errno" not in last_error
    assert (storage / "neighbour" / "secret.txt").read_text() == "the neighbour's secret"
    assert not (storage_path(Bot.objects.get(name="filer").pk) / "loot.txt").exists()


def test_a_symbolic_link_out_of_the_bots_folder_is_refused(tmp_path, storage, user):
    (storage / "neighbour").mkdir(parents=True)
    (storage / "neighbour" / "secret.txt").write_text("the neighbour's secret")

    def door(bot):
        storage_path(bot.pk).mkdir()
        (storage_path(bot.pk) / "door").symlink_to(storage / "neighbour")

    last_error = chat_error(tmp_path, user, 'TALK READ "door/secret.txt"\n', prepare=door)

    assert last_error == 'filer.gbdialog/start.bas:1: READ: "door/secret.txt" is outside this bot\'s storage'


def test_files_inside_the_bots_folder_still_work(tmp_path, storage, user):
    source = ('WRITE "in/a.txt", "kept"\nCOPY "in/a.txt" TO "b.txt"\nMOVE "b.txt" TO "out/c.txt"\n'
              'DELETE FILE "in/a.txt"\nWRITE "x/../y.txt", "fine"\nTALK READ "out/../out/c.txt"\n')
    write_package(tmp_path / "pkgs", "filer", {"start.bas": source})
    bot = load(tmp_path / "pkgs", "filer")

    result = conversation_start(conversation=conversation_get_or_create(bot=bot, user=user, channel=Channel.API))

    assert [m.text for m in result.replies] == ["kept"]
    own = storage_path(Bot.objects.get(name="filer").pk)
    assert own.parent == storage
    assert sorted(p.relative_to(own).as_posix() for p in own.rglob("*")) == ["in", "out", "out/c.txt", "y.txt"]


@pytest.mark.parametrize("name", ["", ".", ".."])
def test_a_bot_whose_name_is_no_slug_still_gets_a_folder_of_its_own(storage, user, name):
    """Such bots cannot be loaded any more; one left in the database must not reach the shared
    root (its folder is named by its id, never by its name)."""
    (storage / "neighbour").mkdir(parents=True)
    (storage / "neighbour" / "secret.txt").write_text("the neighbour's secret")
    bot = factories.BotFactory(name=name)
    factories.BotScriptFactory(bot=bot, name="start", problems=[],
                               source='WRITE "mine.txt", "x"\nTALK JOIN(LIST "", ",")\nTALK JOIN(LIST "neighbour", ",")\n')
    conversation = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    result = conversation_start(conversation=conversation)

    conversation.refresh_from_db()
    assert [m.text for m in result.replies][:1] == ["mine.txt"]
    assert "secret.txt" not in " ".join(m.text for m in result.replies)
    assert (storage_path(bot.pk) / "mine.txt").read_text() == "x"
    assert sorted(p.name for p in storage.iterdir()) == sorted(["neighbour", bot.pk.hex])
