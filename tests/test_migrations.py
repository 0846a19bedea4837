import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import clean_env

TABLES = {"bots", "bot_memories", "bot_shared_memory", "workflow_executions", "workflow_events", "model_performance"}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_migrations_create_the_tables_on_postgresql():
    assert connection.vendor == "postgresql"
    tables = set(connection.introspection.table_names())
    assert TABLES | {"organizations", "designer_documents"} <= tables


@pytest.mark.django_db
def test_the_seed_column_names_are_kept():
    def columns(table):
        with connection.cursor() as cursor:
            return {c.name for c in connection.introspection.get_table_description(cursor, table)}

    assert {"id", "name", "title", "config", "version_hash", "is_active", "organization_id"} <= columns("bots")
    assert {"bot_id", "key", "value", "updated_at"} <= columns("bot_memories")
    assert {"id", "source_bot_id", "target_bot_id", "memory_key", "memory_value", "shared_at"} <= columns(
        "bot_shared_memory"
    )
    assert {"id", "bot_id", "workflow_name", "current_step", "state", "status", "created_at"} <= columns(
        "workflow_executions"
    )
    assert {"id", "workflow_id", "event_name", "event_data", "created_at"} <= columns("workflow_events")
    assert {"model", "task_type", "requests", "successes", "cost", "updated_at"} <= columns("model_performance")


def test_migrations_apply_and_unapply_on_sqlite(manage, tmp_path):
    env = clean_env(GB_DATA_DIR=str(tmp_path))

    forward = manage("migrate", "--noinput", env=env)
    with sqlite3.connect(tmp_path / "generalbots.sqlite3") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
        default_org = db.execute("select slug from organizations").fetchall()
    backward = manage("migrate", "workflows", "zero", "--noinput", env=env)

    assert forward.returncode == 0, forward.stderr
    assert TABLES <= tables
    assert default_org == [("default",)]
    assert backward.returncode == 0, backward.stderr
