"""The knowledge-base keywords in real runs: USE KB / ADD KB / CLEAR KB kept across turns, KB
STATISTICS, USE WEBSITE, and answers (LLM and chat) that carry and cite the best passages."""

import pytest
from django.test import override_settings

from generalbots.bots.choices import Channel
from generalbots.bots.models import Bot
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_post_message, conversation_start
from generalbots.bots.services import packages_load
from memory import services
from memory.selectors import kb_in_use
from tests.memory.conftest import run_script
from tests.memory.test_kb import Site, make_package
from tests.memory.kb_names import in_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpdesk(tmp_path, org):
    package = make_package(tmp_path / "bots")
    (package / "helpdesk.gbdialog").mkdir()
    (package / "helpdesk.gbdialog" / "start.bas").write_text('USE KB "faq"\nTALK "Ask me."\n')
    packages_load(roots=[package], organization=org)
    bot = Bot.objects.get(name="helpdesk")
    services.kb_index(bot=bot)
    return bot


def test_the_chat_answers_from_the_base_in_use_and_cites_its_document(helpdesk, user):
    chat = conversation_get_or_create(bot=helpdesk, user=user, channel=Channel.API)
    conversation_start(conversation=chat)

    result = conversation_post_message(conversation=chat, text="How do I get my money back?")
    (answer,) = [m.text for m in result.replies]
    assert "money back within 30 days" in answer and answer.endswith("Source: [faq/refunds.md]")

    later = conversation_post_message(conversation=chat, text="Can I bring my dog to work?")
    assert later.replies[0].text.endswith("Source: [faq/policies/pets.docx]")  # kept across turns


def test_llm_in_a_script_gets_the_passages_and_clear_kb_removes_them(helpdesk, user):
    said, run = run_script(helpdesk, 'ADD_KB "faq"\nTALK LLM "When do the shops close?"\n'
                                     'CLEAR KB "faq"\nTALK LLM "When do the shops close?"\n', user=user)
    assert run.error == ""
    assert said[0].endswith("Source: [faq/hours.txt]") and "six in the evening" in said[0]
    assert said[1] == "[offline model] I received: When do the shops close?"


def test_bases_in_use_last_across_turns_and_clear_kb_without_a_name_clears_all(helpdesk, user):
    chat = conversation_get_or_create(bot=helpdesk, user=user, channel=Channel.API)
    conversation_start(conversation=chat)  # start.bas: USE KB "faq"
    assert kb_in_use(session_key=f"conversation:{chat.pk}") == ["faq"]
    run_script(helpdesk, "CLEAR KB\n", user=user, conversation=chat)
    assert kb_in_use(session_key=f"conversation:{chat.pk}") == []
    assert conversation_post_message(conversation=chat, text="refund").replies[0].text.startswith("[offline model]")


def test_use_kb_of_a_base_the_bot_does_not_have_fails_with_its_line(helpdesk, user):
    _said, run = run_script(helpdesk, 'TALK "hi"\nUSE KB "sales"\n', user=user)
    assert ".bas:2: USE KB: The bot helpdesk has no knowledge base 'sales' (its bases: faq)." in run.error


def test_kb_statistics_is_an_object(helpdesk, user):
    said, run = run_script(helpdesk, "s = KB STATISTICS\nTALK s.documents\nTALK s.bases[0].name\n"
                                     "TALK s.bases[0].collection\nTALK s.bases[0].failed_documents\n", user=user)
    assert run.error == ""
    assert said == ["8", "faq", in_organization("gb_kb_use-multilingual-v3-multilingual-e5-small_512", helpdesk), "3"]


def test_use_website_reads_the_page_through_the_guard_and_answers_from_it(helpdesk, user):
    site = Site()
    try:
        said, run = run_script(helpdesk, f'USE WEBSITE "{site.url}"\n', user=user)
        assert "USE WEBSITE http://127.0.0.1" in run.error and site.hits == 0  # a private address: refused
        with override_settings(GB_HTTP_ALLOWED_NETWORKS=["127.0.0.1/32"]):
            said, run = run_script(helpdesk, f'USE WEBSITE "{site.url}" REFRESH "1 day"\n'
                                             'TALK LLM "When does the museum open?"\n', user=user)
        assert run.error == "" and said[0].endswith(f"Source: [{site.url}]")
        _said, run = run_script(helpdesk, f'USE WEBSITE "{site.url}" REFRESH "soon"\n', user=user)
        assert "USE WEBSITE cannot read the refresh time 'soon'" in run.error
    finally:
        site.httpd.shutdown()
        site.httpd.server_close()


def test_a_base_in_use_lasts_across_the_slices_of_a_run(tmp_path, org, user):
    package = make_package(tmp_path / "bots", "waiter")
    (package / "waiter.gbdialog").mkdir()
    (package / "waiter.gbdialog" / "start.bas").write_text(
        'USE KB "faq"\nHEAR question\nanswer = LLM question\nTALK "script: " + answer\n')
    packages_load(roots=[package], organization=org)
    bot = Bot.objects.get(name="waiter")
    services.kb_index(bot=bot)
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_start(conversation=chat)  # USE KB, then HEAR ends the slice

    result = conversation_post_message(conversation=chat, text="When do the shops close?")

    (reply,) = [m.text for m in result.replies]
    assert reply.startswith("script: ") and reply.endswith("Source: [faq/hours.txt]")
