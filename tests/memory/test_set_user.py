"""SET USER: the user context of the rest of a run (user memory, REMEMBER, RECALL), inside the
run's own bot only, kept across a HEAR."""

import pytest

from generalbots.bots.choices import Channel
from generalbots.bots.services import conversation_get_or_create
from memory import services
from memory.models import UserMemory
from tests import factories
from tests.memory.conftest import make_bot, run_script
from workflows.conversations import conversation_post_message

pytestmark = pytest.mark.django_db


def test_set_user_moves_user_memory_to_that_user_and_keeps_it_across_a_hear(org, user):
    bot = make_bot("admin-bot", org)
    conversation = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    source = ('SET USER MEMORY "theme", "light"\n'
              'SET USER "user:99"\n'
              'SET USER MEMORY "theme", "dark"\n'
              'HEAR answer\n'
              'theme = GET USER MEMORY("theme")\n'
              'TALK "user 99: " + theme\n'
              'SET USER ""\n'
              'theme = GET USER MEMORY("theme")\n'
              'TALK "me: " + theme\n')

    factories.BotScriptFactory(bot=bot, name="start", source=source, problems=[])

    conversation_post_message(conversation=conversation, text="hello")  # start.bas, waits at HEAR
    result = conversation_post_message(conversation=conversation, text="go on")

    assert [m.text for m in result.replies] == ["user 99: dark", "me: light"]
    assert sorted(UserMemory.objects.filter(bot=bot).values_list("user_key", "value")) == sorted([
        ("user:99", "dark"), (f"user:{user.pk}", "light")])


def test_set_user_never_reaches_the_memory_of_another_bot(org, user):
    other_org = factories.OrganizationFactory(name="Other", slug="other")
    services.user_memory_set(bot=make_bot("their-bot", other_org), user_key="user:99", key="secret",
                             value="s3cret")
    services.user_memory_set(bot=make_bot("sibling", org), user_key="user:99", key="secret",
                             value="sibling")
    bot = make_bot("admin-bot", org)

    said, _ = run_script(bot, 'SET USER "user:99"\nx = GET USER MEMORY("secret")\nTALK NVL(x, "none")\n',
                         user=user)

    assert said == ["none"]


def test_set_user_with_a_key_and_a_value_is_a_property_of_the_conversation_user(org, user):
    bot = make_bot("kyc", org)

    run_script(bot, 'SET USER "kyc_status", "verified"\n', user=user)

    row = UserMemory.objects.get(bot=bot)
    assert (row.user_key, row.key, row.value) == (f"user:{user.pk}", "kyc_status", "verified")
