"""The data migrations that moved a bot's things from its name to its identity (2026-12-08):
bot storage folders (workflows 0012) and LLM statistics rows (llmrouter 0003-0005), each run on
PostgreSQL from the state before it, with rows made by the historical models."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
# Organizations made by the historical models have no LLM key variables: back before them too.
BEFORE_KEY_VARIABLES = ("core", "0002_default_organization")


def migrate(target: list[tuple[str, str]]):
    """Migrate to ``target``; the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def migrate_to_the_end():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def at(request):
    """Migrate back to a state for the test; forward to the end afterwards whatever happens."""
    def go(*target):
        return migrate(list(target))
    yield go
    migrate_to_the_end()


def _bot(apps, name: str, slug: str):
    organization = apps.get_model("core", "Organization").objects.create(name=slug.title(), slug=slug)
    return apps.get_model("bots", "Bot").objects.create(name=name, organization=organization)


def test_each_bots_storage_folder_moves_to_its_id(at, settings, tmp_path):
    settings.GB_STORAGE_DIR = str(tmp_path)
    apps = at(("workflows", "0011_partial_indexes"), BEFORE_KEY_VARIABLES)
    ledger = _bot(apps, "ledger", "alpha")
    (tmp_path / "ledger" / "notes").mkdir(parents=True)
    (tmp_path / "ledger" / "notes" / "plan.txt").write_text("A merger plan")
    (tmp_path / "retired").mkdir()  # no bot is named so now: nobody's, left alone
    (tmp_path / "retired" / "old.txt").write_text("old")

    migrate([("workflows", "0012_storage_by_bot_id")])

    assert (tmp_path / ledger.pk.hex / "notes" / "plan.txt").read_text() == "A merger plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ledger.pk.hex, "retired"])


def test_statistics_rows_get_their_organization_and_a_renamed_bots_two_rows_fold_into_one(at):
    apps = at(("llmrouter", "0002_registry_calls_run_settings"), BEFORE_KEY_VARIABLES)
    Performance = apps.get_model("llmrouter", "ModelPerformance")
    bot = _bot(apps, "ledger-2024", "alpha")
    model = apps.get_model("llmrouter", "LLMModel").objects.create(alias="default", bot=bot, model_id="m",
                                                                   provider_url="http://llm.test/v1")
    shared = apps.get_model("llmrouter", "LLMModel").objects.create(alias="fast", model_id="f",
                                                                    provider_url="http://llm.test/v1")
    # before the rename, under "ledger:default"; after it, a second row under the new key
    Performance.objects.create(model="ledger:default", llm_model=model, task_type="chat", requests=3, successes=2,
                               total_latency_ms=300, tokens_in=30, tokens_out=60, cost=Decimal("0.3"),
                               latency_window=[100, 200])
    Performance.objects.create(model="ledger-2024:default", llm_model=model, task_type="chat", requests=2,
                               successes=2, total_latency_ms=1000, tokens_in=20, tokens_out=40, cost=Decimal("0.2"),
                               latency_window=[400, 600])
    Performance.objects.create(model="fast", llm_model=shared, task_type="chat", requests=9, successes=9)

    apps = migrate([("llmrouter", "0005_performance_constraints")])

    rows = apps.get_model("llmrouter", "ModelPerformance").objects.order_by("model")
    assert [(r.model, r.organization_id, r.requests, r.successes, r.tokens_in, r.cost, r.latency_window,
             r.latency_mean_ms, r.latency_p50_ms, r.latency_p95_ms) for r in rows] == [
        ("fast", None, 9, 9, 0, Decimal("0"), [], 0.0, 0.0, 0.0),  # pooled: nobody's organization
        ("ledger-2024:default", bot.organization_id, 5, 4, 50, Decimal("0.5"), [100, 200, 400, 600],
         325.0, 200.0, 600.0),
    ]
