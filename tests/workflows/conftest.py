import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def operator():
    """A user granted the operator right on bot ``refunds`` (and nothing else)."""
    user = factories.UserFactory(username="olga")
    factories.BotAccessFactory(user=user, bot=factories.BotFactory(name="refunds"), can_operate=True)
    return user


@pytest.fixture
def api():
    """An API client authenticating ``as_user(user)`` with a DRF token."""

    def as_user(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return as_user
