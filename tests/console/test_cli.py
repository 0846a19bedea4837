from io import StringIO

import pytest
from django.core.management import call_command

from generalbots.bots.models import Bot
from tests.bots.test_packages import make_package
from tests.conftest import clean_env


@pytest.mark.django_db
def test_gb_load_loads_the_given_folders_and_reports_each_package(tmp_path):
    make_package(tmp_path, "sales")
    make_package(tmp_path, "support")
    out = StringIO()

    call_command("gb", "load", str(tmp_path), stdout=out)

    assert set(Bot.objects.values_list("name", flat=True)) == {"sales", "support"}
    assert "2 package(s) found: 2 created." in out.getvalue()


def test_gb_help_lists_subcommands_without_any_service(manage, closed_port):
    # Neither PostgreSQL nor Redis answers at these addresses: listing must not need them.
    env = clean_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/none",
        REDIS_URL=f"redis://127.0.0.1:{closed_port}/0",
    )

    result = manage("gb", "--help", env=env)

    assert result.returncode == 0, result.stderr
    assert "load" in result.stdout and "serve" in result.stdout


@pytest.mark.django_db
def test_gb_load_reports_problems_of_a_package_that_still_loads(tmp_path):
    make_package(tmp_path, "shaky", dialog="FOR EACH x IN items\n  TALK x\n")
    out = StringIO()

    call_command("gb", "load", str(tmp_path), stdout=out)

    assert "created  shaky" in out.getvalue()
    assert "1 problem(s), 1 error(s): see the bot in the admin" in out.getvalue()
    assert Bot.objects.get(name="shaky").problems[0]["path"] == "shaky.gbdialog/start.bas"
