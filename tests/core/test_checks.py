"""System check ``core.W002``: a PostgreSQL database whose autovacuum (or the statistics it needs,
``track_counts``) is off is reported by ``check --database`` and before ``migrate``."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from generalbots.core import checks

pytestmark = pytest.mark.django_db


def server_setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_settings_are_read_from_the_server():
    expected = [name for name in ("autovacuum", "track_counts") if server_setting(name) == "off"]

    assert checks.maintenance_off(connection) == expected


def test_autovacuum_off_is_a_warning_naming_the_setting_and_the_database():
    with mock.patch.object(checks, "maintenance_off", return_value=["autovacuum"]):
        problems = checks.check_statistics_maintenance(None, databases=["default"])

    assert [p.id for p in problems] == ["core.W002"]
    assert "autovacuum is off for database 'default'" in problems[0].msg
    assert "VACUUM ANALYZE" in problems[0].hint


def test_both_off_are_named_together():
    with mock.patch.object(checks, "maintenance_off", return_value=["autovacuum", "track_counts"]):
        problems = checks.check_statistics_maintenance(None, databases=["default"])

    assert "autovacuum and track_counts are off" in problems[0].msg


def test_nothing_is_said_when_both_are_on():
    with mock.patch.object(checks, "maintenance_off", return_value=[]):
        assert checks.check_statistics_maintenance(None, databases=["default"]) == []


def test_the_database_is_only_asked_when_the_checks_name_it():
    with mock.patch.object(checks, "maintenance_off") as asked:
        assert checks.check_statistics_maintenance(None, databases=None) == []

    asked.assert_not_called()


def test_check_database_reports_this_servers_setting():
    err = StringIO()

    call_command("check", "--database", "default", stdout=StringIO(), stderr=err)

    assert ("core.W002" in err.getvalue()) == (server_setting("autovacuum") == "off"
                                               or server_setting("track_counts") == "off")
