"""Password guessing is throttled on every login form (django-axes)."""

import pytest
from django.conf import settings

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN_FORMS = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("path", LOGIN_FORMS)
def test_the_right_password_is_refused_after_too_many_wrong_ones(client, path):
    factories.UserFactory(username="maria", password="s3cret-pass", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 20):
        client.post(path, {"username": "maria", "password": "guess"})

    response = client.post(path, {"username": "maria", "password": "s3cret-pass"})

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", LOGIN_FORMS)
def test_a_few_mistakes_do_not_lock_anyone_out(client, path):
    factories.UserFactory(username="maria", password="s3cret-pass", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(path, {"username": "maria", "password": "guess"}).status_code == 200

    response = client.post(path, {"username": "maria", "password": "s3cret-pass"})

    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_locked_user_name_does_not_lock_other_users(client):
    factories.UserFactory(username="maria", password="s3cret-pass")
    factories.UserFactory(username="joao", password="other-pass")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "maria", "password": "guess"})

    response = client.post("/accounts/login/", {"username": "joao", "password": "other-pass"})

    assert response.status_code == 302
