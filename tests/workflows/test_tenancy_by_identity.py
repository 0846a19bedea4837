"""What a bot keeps is found by its identity, never by its name (an audit of the run host's
keywords, 2026-12-08; each leak test failed while the leak was there).

Names are free again once a bot is renamed (the admin lets its operators edit the name) or
deleted, and the next bot to take one may be another organization's:

- the file keywords (READ / WRITE / LIST ...) kept a bot's files in ``GB_STORAGE_DIR/<bot name>/``,
  so that bot read and wrote organization A's files; the folder is ``GB_STORAGE_DIR/<bot id>/``
  now (``workflows.runtime.keywords.files.storage_path``), kept on a rename, removed on delete;
- LLM statistics were found by ``<bot name>:<alias>``; they are found by model and organization.
"""

import pytest

from tests.workflows.engine_helpers import add_script, drive, make_bot
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

WRITE_SECRET = 'WRITE "notes/plan.txt", "A merger plan"\nTALK "saved"\n'
PEEK = ('ON ERROR RESUME NEXT\n'
        'files = LIST "notes"\n'
        'TALK "listed: " + JOIN(files, ",")\n'
        'x = READ "notes/plan.txt"\n'
        'TALK "read: " + NVL(x, "nothing")\n')


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.GB_STORAGE_DIR = str(tmp_path / "storage")
    return tmp_path / "storage"


def _a_bot_with_a_file(org_a):
    bot = make_bot("ledger", WRITE_SECRET, organization=org_a)
    run = drive(execution_start(bot=bot))
    assert run.status == ExecutionStatus.COMPLETED, run.error
    assert run.output == ["saved"]
    return bot


def _peek(org_b) -> list[str]:
    """What a bot of organization B called ``ledger`` finds in its own storage."""
    thief = make_bot("ledger", PEEK, organization=org_b)
    run = drive(execution_start(bot=thief))
    assert run.status == ExecutionStatus.COMPLETED, run.error
    return run.output


def test_a_bot_of_another_organization_taking_a_renamed_bots_name_does_not_get_its_files(org_a, org_b):
    secret = _a_bot_with_a_file(org_a)
    secret.name = "ledger-2024"  # A's operator renames the bot (the admin's change form allows it)
    secret.save(update_fields=["name"])

    said = _peek(org_b)

    # B's new bot starts with empty storage: nothing of A's bot is listed or readable
    assert said == ["listed: ", "read: nothing"]
    # and A's renamed bot still has its file
    add_script(secret, "peek", PEEK)
    again = drive(execution_start(bot=secret, script="peek"))
    assert again.output == ["listed: plan.txt", "read: A merger plan"]


def test_a_bot_of_another_organization_taking_a_deleted_bots_name_does_not_get_its_files(org_a, org_b):
    secret = _a_bot_with_a_file(org_a)
    WorkflowExecution.objects.filter(bot=secret).delete()  # what the retention purge of finished runs does
    secret.delete()

    said = _peek(org_b)

    assert said == ["listed: ", "read: nothing"]


# --------------------------------------------------------------------------- LLM statistics
# ``model_performance`` rows are found by the model's key, ``<bot name>:<alias>`` for a bot's
# own model (``llmrouter.services.performance_record``: get_or_create(model=model.key)). A
# renamed bot leaves its row under the old key, so the next bot of that name, in any
# organization, takes over A's history (requests, tokens, cost, latencies): B's router ranks by
# it and B's staff read it in /api/llm/performance.

def _llm_bot(name, organization, llm_server):
    from tests.llmrouter.factories import LLMModelFactory

    bot = make_bot(name, 'x = LLM "hello" WITH TASK "chat"\nTALK x\n', organization=organization)
    model = LLMModelFactory(bot=bot, alias="default", provider_url=llm_server.url + "/v1", model_id="m")
    return bot, model


def _run_and_record(bot):
    """Run the bot's LLM call, then fold its call into the statistics (what its on_commit does)."""
    from llmrouter.models import LLMCall
    from llmrouter.services import performance_record

    run = drive(execution_start(bot=bot))
    assert run.status == ExecutionStatus.COMPLETED, run.error
    for call in LLMCall.objects.filter(execution=run):
        performance_record(call_id=call.pk)


def test_a_bot_taking_a_renamed_bots_name_does_not_inherit_its_llm_statistics(org_a, org_b, llm_server):
    from decimal import Decimal

    from rest_framework.test import APIClient

    from llmrouter.models import ModelPerformance
    from tests import factories

    llm_server.configure("m", reply="ok", usage={"prompt_tokens": 1000, "completion_tokens": 1000})
    secret, secret_model = _llm_bot("ledger", org_a, llm_server)
    for _ in range(3):
        _run_and_record(secret)
    secret.name = "ledger-2024"  # A's operator renames the bot (the admin's change form allows it)
    secret.save(update_fields=["name"])

    thief, thief_model = _llm_bot("ledger", org_b, llm_server)
    _run_and_record(thief)

    # B's model has the statistics of its own one call, A's model keeps its three
    assert list(ModelPerformance.objects.filter(llm_model=thief_model).values_list("requests", "cost")) == [
        (1, Decimal("0.003000"))]
    assert list(ModelPerformance.objects.filter(llm_model=secret_model).values_list("requests", flat=True)) == [3]
    # and B's staff do not read A's usage over the API
    staff = factories.UserFactory(username="b-ops", is_staff=True)
    factories.BotAccessFactory(user=staff, bot=thief, can_operate=False)
    client = APIClient()
    client.force_authenticate(staff)
    rows = client.get("/api/llm/performance").json()["results"]
    assert [row["requests"] for row in rows] == [1], rows



def test_a_deleted_bots_folder_goes_once_the_delete_commits(org_a, storage, django_capture_on_commit_callbacks):
    from workflows.runtime.keywords.files import storage_path

    bot = _a_bot_with_a_file(org_a)
    folder = storage_path(bot.pk)
    assert (folder / "notes" / "plan.txt").read_text() == "A merger plan"
    WorkflowExecution.objects.filter(bot=bot).delete()

    with django_capture_on_commit_callbacks(execute=True):
        bot.delete()

    assert not folder.exists() and storage.exists()


def test_a_global_models_statistics_are_each_organizations_own_and_the_router_ranks_by_them(org_a, org_b):
    """A global model serves every organization; its statistics row is per organization, so B's
    slow calls neither show in A's statistics nor steer A's router."""
    from llmrouter.models import ModelPerformance
    from llmrouter.selectors import model_candidates
    from llmrouter.services import performance_record
    from tests import factories
    from tests.llmrouter.factories import LLMCallFactory, LLMModelFactory

    shared = LLMModelFactory(alias="fast")
    a_bot = factories.BotFactory(name="a-chat", organization=org_a)
    b_bot = factories.BotFactory(name="b-chat", organization=org_b)
    performance_record(call_id=LLMCallFactory(model=shared, model_key="fast", bot=a_bot, task_type="chat",
                                              latency_ms=100).pk)
    for _ in range(3):
        performance_record(call_id=LLMCallFactory(model=shared, model_key="fast", bot=b_bot, task_type="chat",
                                                  latency_ms=9000).pk)

    rows = {row.organization_id: (row.requests, row.latency_p50_ms)
            for row in ModelPerformance.objects.filter(llm_model=shared, task_type="chat")}
    [a_candidate] = [c for c in model_candidates(bot=a_bot, task="chat") if c.alias == "fast"]

    assert rows == {org_a.pk: (1, 100.0), org_b.pk: (3, 9000.0)}
    assert (a_candidate.stats.requests, a_candidate.stats.p50_ms) == (1, 100.0)
