"""Every model of the platform in the admin: changelist, search, add and change pages, with
a bound on queries that a per-row query (N+1) would break."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.llmrouter import factories as llm_factories
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution

ROWS = 6
MAX_QUERIES = 10  # the heaviest list needs 8; one query per row would add 6

FACTORIES = {
    "core.organization": factories.OrganizationFactory,
    "bots.bot": factories.BotFactory,
    "workflows.workflowexecution": factories.WorkflowExecutionFactory,
    "workflows.workflowevent": factories.WorkflowEventFactory,
    "memory.botmemory": factories.BotMemoryFactory,
    "memory.botsharedmemory": factories.BotSharedMemoryFactory,
    "memory.memoryversion": factories.MemoryVersionFactory,
    "memory.liveshare": factories.LiveShareFactory,
    "memory.usermemory": factories.UserMemoryFactory,
    "memory.sessionvariable": factories.SessionVariableFactory,
    "memory.bottablerow": factories.BotTableRowFactory,
    "memory.remembered": factories.RememberedFactory,
    "memory.knowledgebase": factories.KnowledgeBaseFactory,
    "llmrouter.modelperformance": factories.ModelPerformanceFactory,
    "designer.designerdocument": factories.DesignerDocumentFactory,
    "bots.botscript": factories.BotScriptFactory,
    "bots.conversation": factories.ConversationFactory,
    "bots.message": factories.MessageFactory,
    "bots.botaccess": factories.BotAccessFactory,
    "workflows.workflowstep": factories.WorkflowStepFactory,
    "workflows.workflowapproval": factories.WorkflowApprovalFactory,
    "workflows.botschedule": factories.BotScheduleFactory,
}
# Written only by the platform (packages, conversations): the admin shows them, never adds them.
READ_ONLY = {"bots.botscript", "bots.conversation", "bots.message", "memory.memoryversion", "memory.usermemory",
             "memory.sessionvariable", "memory.remembered", "memory.knowledgebase", "memory.bottablerow"}
READ_ONLY |= {"workflows.workflowstep", "workflows.workflowapproval", "workflows.workflowexecution"}  # written by the engine
READ_ONLY |= {"workflows.botschedule"}  # registered from the packages; enable/disable are actions
READ_ONLY |= {"workflows.workflowevent"}  # published through the action (event_publish), never typed in
FACTORIES.update({
    "llmrouter.llmmodel": llm_factories.LLMModelFactory,
    "llmrouter.llmcall": llm_factories.LLMCallFactory,
    "llmrouter.runllmsettings": llm_factories.RunLLMSettingsFactory,
    "llmrouter.routersettings": llm_factories.RouterSettingsFactory,
})
# The call log is written by the router; the router settings are one row, so no second can be added.
READ_ONLY |= {"llmrouter.llmcall", "llmrouter.routersettings"}

pytestmark = pytest.mark.django_db


def url(label: str, view: str, *args) -> str:
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model}_{view}", args=args)


def test_every_platform_model_is_in_the_admin():
    registered = {model._meta.label_lower for model in admin.site._registry}
    platform_apps = {"core", "bots", "workflows", "memory", "llmrouter", "designer"}

    assert {label for label in registered if label.split(".")[0] in platform_apps} == set(FACTORIES)


@pytest.mark.parametrize("label", FACTORIES)
def test_changelist_shows_rows_within_the_query_limit(admin_client, django_assert_max_num_queries, label):
    rows = FACTORIES[label].create_batch(ROWS)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(url(label, "changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert all(url(label, "change", row.pk) in content for row in rows)


@pytest.mark.parametrize("label", FACTORIES)
def test_changelist_search_answers(admin_client, django_assert_max_num_queries, label):
    FACTORIES[label].create_batch(2)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(url(label, "changelist"), {"q": "a"})

    assert response.status_code == 200


@pytest.mark.parametrize("label", FACTORIES)
def test_add_and_change_pages_render(admin_client, django_assert_max_num_queries, label):
    row = FACTORIES[label]()

    with django_assert_max_num_queries(MAX_QUERIES):
        add = admin_client.get(url(label, "add"))
    change = admin_client.get(url(label, "change", row.pk))

    assert add.status_code == (403 if label in READ_ONLY else 200)
    assert change.status_code == 200


def test_organization_changelist_counts_bots(admin_client):
    factories.BotFactory.create_batch(3, organization=factories.OrganizationFactory(name="Acme"))

    response = admin_client.get(url("core.organization", "changelist"))

    row = next(line for line in response.content.decode().split("<tr") if "Acme" in line)
    assert '<td class="field-bot_count">3</td>' in row


def test_cancel_action_cancels_runs_through_the_service(admin_client):
    running = factories.WorkflowExecutionFactory(status=ExecutionStatus.RUNNING)
    done = factories.WorkflowExecutionFactory(status=ExecutionStatus.COMPLETED)

    response = admin_client.post(
        url("workflows.workflowexecution", "changelist"),
        {"action": "cancel", "_selected_action": [running.pk, done.pk], "confirm": "yes"},
        follow=True,
    )

    statuses = dict(WorkflowExecution.objects.values_list("pk", "status"))
    assert statuses == {running.pk: ExecutionStatus.CANCELLED, done.pk: ExecutionStatus.COMPLETED}
    messages = [str(m) for m in response.context["messages"]]
    assert "1 run(s) cancelled." in messages
    assert any("cannot become cancelled" in m for m in messages)


def test_reload_action_reads_the_package_again(admin_client, tmp_path):
    from tests.bots.test_packages import make_package

    package = make_package(tmp_path, "sales")
    bot = factories.BotFactory(name="sales", source_path=str(package), version_hash="old")
    missing = factories.BotFactory(source_path=str(tmp_path / "gone.gbai"))

    response = admin_client.post(
        url("bots.bot", "changelist"),
        {"action": "reload_from_package", "_selected_action": [bot.pk, missing.pk]},
        follow=True,
    )

    bot.refresh_from_db()
    assert bot.title == "Sales desk" and bot.version_hash != "old"
    messages = [str(m) for m in response.context["messages"]]
    assert "sales: updated." in messages
    assert any("is not on disk" in m for m in messages)
