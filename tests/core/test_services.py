import pytest
from django.contrib.auth import get_user_model

from generalbots.core.models import Organization
from generalbots.core.services import organization_get_default, superuser_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_default_organization_comes_from_the_data_migration():
    assert Organization.objects.filter(slug="default").exists()
    assert organization_get_default().slug == "default"


def test_the_default_organization_is_recreated_when_deleted():
    Organization.objects.filter(slug="default").delete()

    assert organization_get_default().slug == "default"


def test_superuser_ensure_creates_admin_with_a_generated_password():
    login = superuser_ensure()

    user = get_user_model().objects.get(username="admin")
    assert login.created and user.is_superuser and user.is_staff
    assert login.password and user.check_password(login.password)


def test_superuser_ensure_takes_the_given_password_and_does_not_echo_it():
    login = superuser_ensure(password="s3cret-enough")

    assert login.created and login.password is None
    assert get_user_model().objects.get(username="admin").check_password("s3cret-enough")


def test_superuser_ensure_leaves_an_existing_superuser_alone():
    UserFactory(username="alice", is_superuser=True, is_staff=True)

    login = superuser_ensure(password="ignored")

    assert (login.created, login.username, login.password) == (False, "alice", None)
    assert not get_user_model().objects.filter(username="admin").exists()
