"""The admin of bots, scripts and conversations: problems, upload, errors, search."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from generalbots.bots.choices import Channel
from generalbots.bots.models import Bot, BotScript, Conversation
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_post_message
from generalbots.core.services import organization_get_default
from tests import factories
from tests.bots.conftest import install_package, load, write_package
from tests.bots.test_package_dialogs import zip_bytes

pytestmark = pytest.mark.django_db


def test_the_bot_page_shows_problems_with_file_and_line_and_its_scripts(admin_client, tmp_path,
                                                                        django_assert_max_num_queries):
    install_package(tmp_path)
    bot = load(tmp_path, "demo")

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:bots_bot_change", args=[bot.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<code>demo.gbdialog/broken.bas:2</code> error: FOR without NEXT (opened at line 2)" in content
    assert "<code>notes.bas:0</code> note: dialog outside demo.gbdialog/: loaded anyway" in content
    assert "demo.gbdialog/flows/order.bas" in content
    assert reverse("console:chat", args=["demo"]) in content


def test_uploading_a_package_in_the_admin(admin_client):
    data = zip_bytes({"shop.gbai/shop.gbdialog/start.bas": b'TALK "hi"\n'})

    response = admin_client.post(reverse("admin:bots_bot_upload"),
                                 {"package": SimpleUploadedFile("shop.zip", data),
                                  "organization": organization_get_default().pk}, follow=True)

    bot = Bot.objects.get(name="shop")
    assert response.redirect_chain[-1][0] == reverse("admin:bots_bot_change", args=[bot.pk])
    assert "shop: created from shop.zip." in [str(m) for m in response.context["messages"]]


def test_a_bad_upload_shows_the_problem_and_creates_nothing(admin_client):
    data = zip_bytes({"../escape.bas": b"x"})

    response = admin_client.post(reverse("admin:bots_bot_upload"), {"package": SimpleUploadedFile("bad.zip", data),
                                                                    "organization": organization_get_default().pk})

    assert response.status_code == 200
    assert "The zip entry &#x27;../escape.bas&#x27; points outside the package." in response.content.decode()
    assert not Bot.objects.exists()


def test_the_reload_action_picks_up_changed_dialogs(admin_client, tmp_path):
    package = write_package(tmp_path, "fresh", {"start.bas": 'TALK "old"\n'})
    bot = load(tmp_path, "fresh")
    (package / "fresh.gbdialog" / "start.bas").write_text('TALK "new"\n')

    admin_client.post(reverse("admin:bots_bot_changelist"),
                      {"action": "reload_from_package", "_selected_action": [bot.pk]})

    assert BotScript.objects.current().get(bot=bot).source == 'TALK "new"\n'


def test_a_script_error_shows_on_the_conversation_page(admin_client, tmp_path, user):
    write_package(tmp_path, "fragile", {"start.bas": 'HEAR x\nTHROW "bad " + x\n'})
    bot = load(tmp_path, "fragile")
    conversation = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_post_message(conversation=conversation, text="hello")
    conversation_post_message(conversation=conversation, text="input")

    response = admin_client.get(reverse("admin:bots_conversation_change", args=[conversation.pk]))

    content = response.content.decode()
    assert "fragile.gbdialog/start.bas:2: script error: bad input" in content
    assert "Sorry, something went wrong on my side." in content


def test_conversations_are_searchable_by_message_text(admin_client, django_assert_max_num_queries):
    wanted = factories.MessageFactory(text="where is my parcel?").conversation
    factories.MessageFactory.create_batch(3)

    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:bots_conversation_changelist"), {"q": "parcel"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]
    assert Conversation.objects.count() == 4
