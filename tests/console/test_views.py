"""The web chat's pages: the list of bots to chat with."""

import pytest

from tests import factories
from tests.bots.conftest import grant


@pytest.mark.django_db
def test_the_chat_list_shows_the_bots_the_user_may_chat_with(client):
    # given a user with a grant on one bot, and another bot
    user = factories.UserFactory()
    grant(user, factories.BotFactory(name="shop", title="Shop"))
    factories.BotFactory(name="secret-bot")
    client.force_login(user)
    # when the chat list is shown
    content = client.get("/chat/").content.decode()
    # then it links the chat of the granted bot only
    assert 'href="/chat/shop/"' in content and "secret-bot" not in content


@pytest.mark.django_db
def test_the_chat_list_needs_a_login(client):
    response = client.get("/chat/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
