import uuid
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from generalbots.bots.models import Bot, BotScript
from generalbots.core.prepared import PreparedSelect
from tests.factories import BotFactory, BotScriptFactory

pytestmark = pytest.mark.django_db


def script_of(bot, name, source="x = 1\n", **extra):
    return BotScriptFactory(bot=bot, name=name, path=f"{bot.name}.gbdialog/{name}.bas", source=source,
                            source_hash=uuid.uuid4().hex, **extra)


BY_BOT_AND_NAME = PreparedSelect(
    lambda bot_id, name: BotScript.objects.filter(bot_id=bot_id, name=name, is_current=True)
    .select_related("bot").defer("source").order_by()[:1],
    BotScript._meta.get_field("bot"), BotScript._meta.get_field("name"))


def test_each_call_runs_the_statement_with_its_own_values():
    first, second = BotFactory(name="first"), BotFactory(name="second")
    a, b = script_of(first, "start"), script_of(second, "start")
    script_of(first, "other")

    assert BY_BOT_AND_NAME.get(first.pk, "start").pk == a.pk
    assert BY_BOT_AND_NAME.get(second.pk, "start").pk == b.pk
    assert BY_BOT_AND_NAME.get(str(second.pk), "start").pk == b.pk  # prepared like a filter would
    assert BY_BOT_AND_NAME.get(second.pk, "missing") is None


def test_the_constant_parameters_of_the_queryset_stay():
    bot = BotFactory(name="retired")
    script_of(bot, "start", is_current=False)

    assert BY_BOT_AND_NAME.get(bot.pk, "start") is None


def test_instances_are_built_as_the_queryset_would_build_them():
    bot = BotFactory(name="built", config={"Title": "Built"})
    made = script_of(bot, "start", source="TALK 1\n", problems=[{"severity": "warning", "message": "m"}])

    found = BY_BOT_AND_NAME.get(bot.pk, "start")

    with CaptureQueriesContext(connection) as queries:
        assert found.bot.name == "built" and found.bot.config == {"Title": "Built"}  # joined, JSON decoded
        assert found.problems == [{"severity": "warning", "message": "m"}]
        assert found.path == made.path and found.created_at == made.created_at
        assert not found._state.adding and found._state.db == "default"
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert found.source == "TALK 1\n"  # deferred: loaded when read
    assert len(queries) == 1


def test_the_statement_is_compiled_once():
    from django.db.models.sql.compiler import SQLCompiler

    bot = BotFactory(name="once")
    script_of(bot, "start")
    lookup = PreparedSelect(lambda bot_id: BotScript.objects.filter(bot_id=bot_id).order_by()[:1],
                            BotScript._meta.get_field("bot"))

    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as as_sql:
        for _ in range(3):
            assert lookup.get(bot.pk).bot_id == bot.pk
    assert as_sql.call_count == 1


def test_locking_querysets_lock_the_row():
    bot = BotFactory(name="locked")
    lock = PreparedSelect(lambda pk: Bot.objects.filter(pk=pk).select_for_update(), Bot._meta.pk)

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert lock.get(bot.pk).pk == bot.pk
    assert "FOR UPDATE" in queries[-1]["sql"]


def test_a_queryset_that_ignores_a_parameter_is_refused():
    bot = BotFactory(name="ignored")
    lookup = PreparedSelect(lambda bot_id, name: BotScript.objects.filter(bot_id=bot_id).order_by()[:1],
                            BotScript._meta.get_field("bot"), BotScript._meta.get_field("name"))

    with pytest.raises(ValueError, match=r"parameters \[1\]"):
        lookup.get(bot.pk, "start")
    with pytest.raises(TypeError, match="expected 2 values"):
        BY_BOT_AND_NAME.get(bot.pk)
