"""The admin does not leak across organizations: a staff user of organization Alpha, with every
model permission of the platform's apps and a grant on Alpha's bot only, sees, chooses, changes
and acts on Alpha's rows and never on Bravo's; a superuser still sees everything."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from generalbots.bots.admin.scoping import BotScopedAdminMixin
from generalbots.bots.models import BotAccess
from llmrouter.models import LLMModel, RunLLMSettings
from memory import services as memory_services
from memory.models import BotMemory, BotSharedMemory
from tests import factories
from tests.llmrouter import factories as llm_factories
from workflows.choices import ExecutionStatus
from workflows.events import event_list
from workflows.models import WorkflowEvent, WorkflowExecution

pytestmark = pytest.mark.django_db

PLATFORM_APPS = ["core", "bots", "workflows", "memory", "llmrouter", "designer"]

# One row of each platform model belonging to ``bot`` (so to its organization).
ROW_OF_BOT = {
    "core.organization": lambda bot: bot.organization,
    "bots.bot": lambda bot: bot,
    "bots.botscript": lambda bot: factories.BotScriptFactory(bot=bot),
    "bots.conversation": lambda bot: factories.ConversationFactory(bot=bot),
    "bots.message": lambda bot: factories.MessageFactory(conversation__bot=bot),
    "bots.botaccess": lambda bot: factories.BotAccessFactory(bot=bot),
    "workflows.workflowexecution": lambda bot: factories.WorkflowExecutionFactory(bot=bot),
    "workflows.workflowevent": lambda bot: factories.WorkflowEventFactory(workflow__bot=bot),
    "workflows.workflowstep": lambda bot: factories.WorkflowStepFactory(execution__bot=bot),
    "workflows.workflowapproval": lambda bot: factories.WorkflowApprovalFactory(execution__bot=bot),
    "workflows.botschedule": lambda bot: factories.BotScheduleFactory(bot=bot),
    "memory.botmemory": lambda bot: factories.BotMemoryFactory(bot=bot),
    "memory.memoryversion": lambda bot: factories.MemoryVersionFactory(memory__bot=bot),
    "memory.botsharedmemory": lambda bot: factories.BotSharedMemoryFactory(
        source_bot=bot, target_bot=factories.BotFactory(organization=bot.organization)),
    "memory.liveshare": lambda bot: factories.LiveShareFactory(source_bot=bot),
    "memory.usermemory": lambda bot: factories.UserMemoryFactory(bot=bot),
    "memory.sessionvariable": lambda bot: factories.SessionVariableFactory(bot=bot),
    "memory.bottablerow": lambda bot: factories.BotTableRowFactory(bot=bot),
    "memory.remembered": lambda bot: factories.RememberedFactory(bot=bot),
    "memory.knowledgebase": lambda bot: factories.KnowledgeBaseFactory(bot=bot),
    "llmrouter.llmmodel": lambda bot: llm_factories.LLMModelFactory(bot=bot),
    "llmrouter.llmcall": lambda bot: llm_factories.LLMCallFactory(bot=bot, model__bot=bot),
    "llmrouter.runllmsettings": lambda bot: llm_factories.RunLLMSettingsFactory(execution__bot=bot),
    "llmrouter.modelperformance": lambda bot: factories.ModelPerformanceFactory(
        llm_model=llm_factories.LLMModelFactory(bot=bot)),
    "designer.designerdocument": lambda bot: factories.DesignerDocumentFactory(bot=bot),
}
GLOBAL_ONLY = {"llmrouter.routersettings"}  # one platform-wide row, tested on its own below


def url(label: str, view: str, *args) -> str:
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def platform_admins() -> dict:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PLATFORM_APPS}


@pytest.fixture
def watched_bot(alpha_bot):
    """A bot of Alpha the staff user may watch but not operate."""
    return factories.BotFactory(name="alpha-watch", organization=alpha_bot.organization)




@pytest.fixture
def staff(alpha_bot, watched_bot):
    """Staff of Alpha: every model permission of the platform's apps, operator of alpha-desk,
    watcher of alpha-watch, nothing in Bravo."""
    user = factories.UserFactory(username="olga", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=PLATFORM_APPS))
    factories.BotAccessFactory(user=user, bot=alpha_bot, can_operate=True)
    factories.BotAccessFactory(user=user, bot=watched_bot, can_operate=False)
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --------------------------------------------------------------------------- every admin


def test_every_platform_admin_is_scoped_and_covered_here():
    admins = platform_admins()

    assert set(admins) == set(ROW_OF_BOT) | GLOBAL_ONLY  # a new admin model needs a row here
    unscoped = {label for label, model_admin in admins.items()
                if label != "core.organization" and not isinstance(model_admin, BotScopedAdminMixin)}
    assert unscoped == set()


@pytest.mark.parametrize("label", ROW_OF_BOT)
def test_staff_see_their_organizations_rows_and_not_the_others(staff_client, alpha_bot, bravo_bot, label):
    mine, theirs = ROW_OF_BOT[label](alpha_bot), ROW_OF_BOT[label](bravo_bot)

    response = staff_client.get(url(label, "changelist"))

    content = response.content.decode()
    assert response.status_code == 200
    assert url(label, "change", mine.pk) in content
    assert url(label, "change", theirs.pk) not in content
    assert "bravo" not in content.lower()  # nor in a list filter, a link or a count


@pytest.mark.parametrize("label", ROW_OF_BOT)
def test_another_organizations_row_by_url_is_not_found(staff_client, alpha_bot, bravo_bot, label):
    mine, theirs = ROW_OF_BOT[label](alpha_bot), ROW_OF_BOT[label](bravo_bot)

    own = staff_client.get(url(label, "change", mine.pk))
    other = staff_client.get(url(label, "change", theirs.pk), follow=True)
    history = staff_client.get(url(label, "history", theirs.pk), follow=True)

    assert own.status_code == 200
    assert other.redirect_chain == [(reverse("admin:index"), 302)]
    assert "bravo" not in other.content.decode().lower()
    assert history.redirect_chain == [(reverse("admin:index"), 302)]


@pytest.mark.parametrize("label", ROW_OF_BOT)
def test_a_superuser_still_sees_every_organization(admin_client, alpha_bot, bravo_bot, label):
    rows = [ROW_OF_BOT[label](alpha_bot), ROW_OF_BOT[label](bravo_bot)]

    response = admin_client.get(url(label, "changelist"))

    content = response.content.decode()
    assert all(url(label, "change", row.pk) in content for row in rows)


@pytest.mark.parametrize("label", ["bots.conversation", "memory.memoryversion", "workflows.workflowevent"])
def test_scoped_changelists_make_no_query_per_row(staff_client, alpha_bot, bravo_bot,
                                                  django_assert_max_num_queries, label):
    for _ in range(6):
        ROW_OF_BOT[label](alpha_bot), ROW_OF_BOT[label](bravo_bot)

    with django_assert_max_num_queries(10):  # a query per row would add 6
        response = staff_client.get(url(label, "changelist"))

    assert response.context["cl"].result_count == 6


# --------------------------------------------------------------------------- watch versus operate


def test_a_row_of_a_watched_bot_is_shown_read_only(staff_client, watched_bot):
    row = memory_services.bot_memory_set(bot=watched_bot, key="tone", value="formal")

    page = staff_client.get(url("memory.botmemory", "change", row.pk))
    change = staff_client.post(url("memory.botmemory", "change", row.pk), {"value": '"casual"'})
    delete = staff_client.post(url("memory.botmemory", "delete", row.pk), {"post": "yes"})

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert (change.status_code, delete.status_code) == (403, 403)
    assert BotMemory.objects.get(pk=row.pk).value == "formal"


def test_actions_act_only_on_the_runs_the_user_operates(staff_client, alpha_bot, watched_bot, bravo_bot):
    runs = [factories.WorkflowExecutionFactory(bot=bot, status=ExecutionStatus.RUNNING)
            for bot in (alpha_bot, watched_bot, bravo_bot)]

    response = staff_client.post(url("workflows.workflowexecution", "changelist"), {
        "action": "cancel", "_selected_action": [r.pk for r in runs], "confirm": "yes"}, follow=True)

    statuses = dict(WorkflowExecution.objects.values_list("bot__name", "status"))
    assert statuses == {"alpha-desk": ExecutionStatus.CANCELLED, "alpha-watch": ExecutionStatus.RUNNING,
                        "bravo-desk": ExecutionStatus.RUNNING}
    assert "1 run(s) cancelled." in messages_of(response)
    assert any(m.startswith("1 of the selected workflow executions left out") for m in messages_of(response))


def test_global_llm_models_and_router_settings_are_read_only_for_staff(staff_client):
    model = llm_factories.LLMModelFactory(alias="shared-fast")
    settings = llm_factories.RouterSettingsFactory()

    models = staff_client.get(url("llmrouter.llmmodel", "changelist"))
    edit_model = staff_client.post(url("llmrouter.llmmodel", "change", model.pk), {"alias": "mine"})
    edit_settings = staff_client.post(url("llmrouter.routersettings", "change", settings.pk), {"exploration": "9"})
    add_settings = staff_client.get(url("llmrouter.routersettings", "add"))

    assert url("llmrouter.llmmodel", "change", model.pk) in models.content.decode()
    assert (edit_model.status_code, edit_settings.status_code, add_settings.status_code) == (403, 403, 403)
    model.refresh_from_db()
    assert model.alias == "shared-fast"


def test_staff_may_not_add_a_global_llm_model(staff_client):
    response = staff_client.post(url("llmrouter.llmmodel", "add"), {
        "alias": "sneaky", "bot": "", "enabled": "on", "provider_url": "", "model_id": "", "api_key_env": "",
        "timeout_seconds": "60", "price_input_per_1k": "0", "price_output_per_1k": "0", "context_window": "8192",
        "task_types": "[]", "quality": "0.5", "latency_prior_ms": "0"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"bot": ["This field is required."]}
    assert not LLMModel.objects.filter(alias="sneaky").exists()


def test_a_canvas_of_no_bot_is_the_superusers_alone(staff_client):
    canvas = factories.DesignerDocumentFactory(bot=None, name="nobodys canvas")

    response = staff_client.get(url("designer.designerdocument", "changelist"))

    assert url("designer.designerdocument", "change", canvas.pk) not in response.content.decode()


# --------------------------------------------------------------------------- choices in forms


def test_staff_grant_only_bots_they_operate(staff_client, staff, alpha_bot, watched_bot, bravo_bot):
    colleague = factories.UserFactory(username="colleague")

    refused = [staff_client.post(url("bots.botaccess", "add"),
                                 {"bot": bot.pk, "user": user.pk, "can_operate": "on"})
               for bot, user in ((bravo_bot, staff), (bravo_bot, colleague), (watched_bot, staff))]
    granted = staff_client.post(url("bots.botaccess", "add"), {"bot": alpha_bot.pk, "user": colleague.pk})

    assert [r.status_code for r in refused] == [200, 200, 200]
    assert all("Select a valid choice" in r.content.decode() for r in refused)
    assert granted.status_code == 302
    assert set(BotAccess.objects.values_list("bot__name", "user__username", "can_operate")) == {
        ("alpha-desk", "olga", True), ("alpha-watch", "olga", False), ("alpha-desk", "colleague", False)}


def test_bot_autocomplete_offers_only_bots_the_user_operates(staff_client, alpha_bot, watched_bot, bravo_bot):
    response = staff_client.get(reverse("admin:autocomplete"), {
        "app_label": "bots", "model_name": "botaccess", "field_name": "bot", "term": "desk"})
    everything = staff_client.get(reverse("admin:autocomplete"), {
        "app_label": "bots", "model_name": "botaccess", "field_name": "bot", "term": ""})

    assert [r["text"] for r in response.json()["results"]] == ["alpha-desk"]
    assert [r["text"] for r in everything.json()["results"]] == ["alpha-desk"]


def test_organization_autocomplete_offers_only_organizations_the_user_operates_in(staff_client, staff, bravo_bot):
    factories.BotAccessFactory(user=staff, bot=factories.BotFactory(organization=factories.OrganizationFactory(
        name="Charlie Corp")), can_operate=False)  # watched only: no events or bots of theirs to publish or add

    response = staff_client.get(reverse("admin:autocomplete"), {
        "app_label": "workflows", "model_name": "workflowevent", "field_name": "organization", "term": "corp"})

    assert [r["text"] for r in response.json()["results"]] == ["Alpha Corp"]


def test_a_run_of_another_organization_cannot_be_chosen(staff_client, bravo_bot):
    theirs = factories.WorkflowExecutionFactory(bot=bravo_bot)

    response = staff_client.post(url("llmrouter.runllmsettings", "add"),
                                 {"execution": theirs.pk, "budget": "1", "pinned_alias": ""})

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not RunLLMSettings.objects.exists()


def test_the_share_form_lists_and_accepts_only_bots_of_the_memorys_organization(staff_client, staff, alpha_bot,
                                                                                 bravo_bot):
    sibling = factories.BotFactory(name="alpha-sales", organization=alpha_bot.organization)
    factories.BotAccessFactory(user=staff, bot=sibling, can_operate=True)
    factories.BotAccessFactory(user=staff, bot=bravo_bot, can_operate=True)  # even an operator of Bravo's bot
    row = memory_services.bot_memory_set(bot=alpha_bot, key="faq", value="answers")
    changelist = url("memory.botmemory", "changelist")

    form = staff_client.post(changelist, {"action": "share_with_bot", "_selected_action": [row.pk]})
    posted = staff_client.post(changelist, {"action": "share_with_bot", "_selected_action": [row.pk],
                                            "apply": "1", "target": bravo_bot.pk}, follow=True)

    options = re.findall(r'<option value="[^"]+">([^<]+)</option>', form.content.decode())
    assert options == ["alpha-sales"]  # not itself, not the watched bot, not Bravo's
    assert "memories are shared only with bots of their own organization that you operate" in posted.content.decode()
    assert not BotSharedMemory.objects.exists()


def test_publishing_a_test_event_offers_only_organizations_the_user_operates_in(staff_client, alpha_bot, bravo_bot):
    event = factories.WorkflowEventFactory(workflow__bot=alpha_bot)
    changelist = url("workflows.workflowevent", "changelist")

    form = staff_client.post(changelist, {"action": "publish_test_event", "_selected_action": [event.pk]})
    refused = staff_client.post(changelist, {
        "action": "publish_test_event", "_selected_action": [event.pk], "publish": "1",
        "organization": bravo_bot.organization_id, "name": "intrusion", "data": "{}"})

    assert "Alpha Corp" in form.content.decode() and "Bravo Corp" not in form.content.decode()
    assert "you may publish events only in organizations where you operate a bot" in refused.content.decode()
    assert not WorkflowEvent.objects.filter(event_name="intrusion").exists()


def test_the_event_admin_uses_the_rule_of_the_event_log(staff_client, staff, alpha_bot, watched_bot, bravo_bot):
    for bot in (alpha_bot, watched_bot, bravo_bot):
        factories.WorkflowEventFactory(workflow__bot=bot)
    factories.WorkflowEventFactory(workflow=None, source_bot=None, organization=alpha_bot.organization)

    response = staff_client.get(url("workflows.workflowevent", "changelist"))

    shown = {e.pk for e in response.context["cl"].result_list}
    assert shown == {e.pk for e in event_list(user=staff)} and len(shown) == 3


def test_organizations_are_read_only_and_created_by_superusers_only(staff_client, alpha_bot):
    organization = alpha_bot.organization

    page = staff_client.get(url("core.organization", "change", organization.pk))
    rename = staff_client.post(url("core.organization", "change", organization.pk), {"name": "Mine", "slug": "mine"})
    add = staff_client.get(url("core.organization", "add"))

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert (rename.status_code, add.status_code) == (403, 403)
    organization.refresh_from_db()
    assert organization.name == "Alpha Corp"


# --------------------------------------------------------------------------- what no organization owns

ACCOUNT_ADMINS = ["auth.user", "auth.group", "authtoken.tokenproxy", "axes.accessattempt", "axes.accesslog",
                  "axes.accessfailurelog"]


@pytest.mark.parametrize("label", ACCOUNT_ADMINS)
def test_accounts_tokens_and_login_records_are_for_superusers_only(client, label):
    from rest_framework.authtoken.models import Token

    staff_user = factories.UserFactory(username="olga", is_staff=True)
    app_labels = {label.split(".")[0] for label in ACCOUNT_ADMINS}
    staff_user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=app_labels))
    someone = factories.UserFactory(username="bravo-boss")
    token = Token.objects.create(user=someone)
    client.force_login(staff_user)

    listing = client.get(url(label, "changelist"))
    index = client.get(reverse("admin:index")).content.decode()

    assert listing.status_code == 403
    assert token.key not in index and url(label, "changelist") not in index
    if label == "auth.user":
        assert client.post(url(label, "change", someone.pk), {"username": "bravo-boss",
                                                              "is_superuser": "on"}).status_code == 403
        someone.refresh_from_db()
        assert not someone.is_superuser


def test_an_event_row_cannot_be_typed_in_only_published(staff_client):
    assert staff_client.get(url("workflows.workflowevent", "add")).status_code == 403
