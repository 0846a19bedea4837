"""The access generation (``generalbots.bots.access``) moves when who may see which bot may have
changed, once that commits, and not on a mere login."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in

from generalbots.bots.access import access_generation
from tests import factories

pytestmark = pytest.mark.django_db


def moves(change, capture) -> bool:
    before = access_generation()
    with capture(execute=True):
        change()
    return access_generation() != before


def test_grants_bots_users_and_groups_move_it(django_capture_on_commit_callbacks):
    bot = factories.BotFactory(name="desk")
    user = factories.UserFactory(username="ana")
    team = Group.objects.create(name="team")
    grant = factories.BotAccessFactory(user=user, bot=bot)

    def rename():
        bot.name = "desk-2"
        bot.save()

    def deactivate():
        user.is_active = False
        user.save(update_fields=["is_active"])

    assert moves(lambda: factories.BotAccessFactory(user=None, group=team, bot=bot), django_capture_on_commit_callbacks)
    assert moves(grant.delete, django_capture_on_commit_callbacks)
    assert moves(rename, django_capture_on_commit_callbacks)
    assert moves(lambda: user.groups.add(team), django_capture_on_commit_callbacks)
    assert moves(deactivate, django_capture_on_commit_callbacks)


def test_a_login_does_not_move_it_and_nothing_moves_before_the_commit(django_capture_on_commit_callbacks, client):
    user = factories.UserFactory(username="ana")
    seen = []
    user_logged_in.connect(lambda **kwargs: seen.append(kwargs["user"]), weak=False, dispatch_uid="test-login")
    try:
        assert not moves(lambda: client.force_login(user), django_capture_on_commit_callbacks)
    finally:
        user_logged_in.disconnect(dispatch_uid="test-login")
    user.refresh_from_db()
    assert seen == [user] and user.last_login is not None  # a login happened and saved last_login
    before = access_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.BotAccessFactory(user=user, bot=factories.BotFactory(name="desk"))
    assert access_generation() == before and callbacks  # queued for the commit, not yet moved
