"""A dialog started before starts in one statement: the INSERT checks that the version is still
the current one, unchanged, and that the bots its workflow names are still there with the start
scripts checked (``services._STARTABLE``, ``fastsql.insert_where``); when anything changed the
start looks everything up as before, with its errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from generalbots.core.exceptions import ApplicationError
from tests.workflows.engine_helpers import add_script, make_bot
from workflows import services
from workflows.engine import starts
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_hint(monkeypatch):
    monkeypatch.setattr(starts, "hint", lambda *a, **k: None)
    monkeypatch.setattr(services, "_STARTABLE", {})


def statements(work):
    with CaptureQueriesContext(connection) as queries:
        result = work()
    return result, [q["sql"] for q in queries.captured_queries]


def test_the_second_start_is_one_statement_that_checks_the_version():
    bot = make_bot("counter", "x = 1\n")
    first, sent = statements(lambda: execution_start(bot=bot))
    assert sent[0].startswith('SELECT "bot_scripts"') and sent[-1].startswith('INSERT INTO "workflow_executions"')
    assert " WHERE EXISTS (" not in sent[-1]  # the lookup (and its source, parsed once), then the INSERT

    second, sent = statements(lambda: execution_start(bot=bot))

    assert len(sent) == 1 and sent[0].startswith('INSERT INTO "workflow_executions"') and " WHERE EXISTS (" in sent[0]
    row = WorkflowExecution.objects.get(pk=second.pk)
    assert (row.script_id, row.script_hash, row.bot_id) == (first.script_id, first.script_hash, bot.pk)


def test_a_new_version_is_started_once_it_is_current():
    bot = make_bot("counter", "x = 1\n")
    execution_start(bot=bot)
    old = bot.scripts.get()
    old.is_current = False
    old.save()
    new = add_script(bot, "start", "x = 2\n")

    run = execution_start(bot=bot)

    assert WorkflowExecution.objects.get(pk=run.pk).script_id == new.pk
    assert WorkflowExecution.objects.filter(bot=bot).count() == 2  # the refused INSERT wrote nothing


def test_a_version_changed_in_place_is_checked_again(monkeypatch):
    """The package was reloaded with the same source, and its check now finds an error (a bot
    it names was deleted, say): the row's ``updated_at`` moved, the start looks it up and refuses."""
    bot = make_bot("counter", "x = 1\n")
    execution_start(bot=bot)
    script = bot.scripts.get()
    script.problems = [{"severity": "error", "line": 1, "message": "broken"}]
    script.save()

    with pytest.raises(ApplicationError) as refused:
        execution_start(bot=bot)

    assert refused.value.code == "workflows.script_errors"
    assert WorkflowExecution.objects.filter(bot=bot).count() == 1


def test_a_dialog_naming_bots_starts_in_one_statement_too():
    make_bot("helper", "x = 1\n")
    make_bot("shared", "x = 1\n")
    bot = make_bot("caller", 'STEP 1: BOT "helper" "go"\nBOT SHARE MEMORY "k" WITH "shared"\n')
    execution_start(bot=bot)

    run, sent = statements(lambda: execution_start(bot=bot))

    assert len(sent) == 1 and " WHERE EXISTS (" in sent[0]
    assert WorkflowExecution.objects.filter(pk=run.pk).exists()


def test_a_called_bot_deleted_is_found_missing_at_the_next_start():
    helper = make_bot("helper", "x = 1\n")
    bot = make_bot("caller", 'STEP 1: BOT "helper" "go"\n')
    execution_start(bot=bot)
    helper.delete()

    with pytest.raises(ApplicationError) as refused:
        execution_start(bot=bot)

    assert refused.value.code == "workflows.unknown_bot" and refused.value.extra["bots"] == ["helper"]
    assert not any(key[0] == bot.pk for key in services._STARTABLE)
    assert WorkflowExecution.objects.filter(bot=bot).count() == 1


def test_a_called_bots_new_start_script_is_checked_for_the_bots_it_calls():
    """The called bot's start.bas was replaced by one calling a bot nobody has: the next start of
    the caller refuses, naming it (the check is transitive, as at the first start)."""
    helper = make_bot("helper", "x = 1\n")
    bot = make_bot("caller", 'STEP 1: BOT "helper" "go"\n')
    execution_start(bot=bot)
    helper.scripts.update(is_current=False)
    add_script(helper, "start", 'STEP 1: BOT "nobody" "go"\n')

    with pytest.raises(ApplicationError) as refused:
        execution_start(bot=bot)

    assert refused.value.extra["bots"] == ["nobody"]


def test_a_named_bot_gone_to_another_organization_is_missing_here(settings):
    from tests.factories import OrganizationFactory

    shared = make_bot("shared", "x = 1\n")
    bot = make_bot("caller", 'BOT SHARE MEMORY "k" WITH "shared"\n')
    execution_start(bot=bot)
    shared.organization = OrganizationFactory()
    shared.save()

    with pytest.raises(ApplicationError) as refused:
        execution_start(bot=bot)

    assert refused.value.code == "workflows.unknown_bot" and refused.value.extra["bots"] == ["shared"]


def test_another_dialog_name_is_its_own_entry():
    bot = make_bot("counter", "x = 1\n")
    add_script(bot, "other", "y = 1\n")
    execution_start(bot=bot)
    run = execution_start(bot=bot, script="other")
    again = execution_start(bot=bot, script="other")

    assert WorkflowExecution.objects.get(pk=run.pk).workflow_name == "other"
    assert WorkflowExecution.objects.get(pk=again.pk).script_id == bot.scripts.get(name="other").pk
