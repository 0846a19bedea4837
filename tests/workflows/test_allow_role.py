"""ALLOW ROLE in a bot: the conversation user's groups (and ``admin`` for staff) are their roles."""

import pytest
from django.contrib.auth.models import Group

from memory.models import BotTableRow
from tests.memory.conftest import make_bot, org, run_script, user  # noqa: F401 (org, user: fixtures)

pytestmark = pytest.mark.django_db

SCRIPT = 'ALLOW ROLE "manager", "finance"\nSAVE "log", {"id": 1, "ok": TRUE}\nTALK "welcome"\n'


def test_a_user_in_one_of_the_groups_goes_on(org, user):
    user.groups.add(Group.objects.create(name="Finance"))
    bot = make_bot("ledger", org)

    said, run = run_script(bot, SCRIPT, user=user)

    assert run.status == "completed", run.error
    assert said == ["welcome"]


def test_a_user_without_the_role_is_stopped_before_the_next_line(org, user):
    user.groups.add(Group.objects.create(name="sales"))
    bot = make_bot("ledger", org)

    said, run = run_script(bot, SCRIPT, user=user)

    assert run.status == "failed"
    assert run.error.endswith(":1: this user does not have the role manager or finance")
    assert said == [] and not BotTableRow.objects.filter(bot=bot).exists()


def test_staff_have_the_admin_role(org, user):
    user.is_staff = True
    user.save()
    bot = make_bot("ledger", org)

    said, run = run_script(bot, 'ALLOW ROLE "admin"\nTALK "ok"\n', user=user)

    assert (run.status, said) == ("completed", ["ok"])
