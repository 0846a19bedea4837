"""Ways a staff user of organization Alpha (every model permission of the platform's apps, a grant
on Alpha's bots only) learned something of organization Bravo in the admin, found by an audit
(2026-12-08); each test failed while its leak was there.

- Django's raw-id widget names the row of any id typed into the URL (``?user=7``): the scoping
  mixin's widget names only rows the user may see (``ScopedRawIdWidget``).
- Statistics rows could be added by hand, and were found by the model's key: a row typed under
  Bravo's key became Bravo's statistics. They are read-only but for superusers now, and found
  by model and organization (``llmrouter.services.performance_record``).
- A deleted bot's calls (``LLMCall.bot`` set to NULL) were shown as global rows to everyone."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from tests.llmrouter import factories as llm_factories

pytestmark = pytest.mark.django_db

PLATFORM_APPS = ["core", "bots", "workflows", "memory", "llmrouter", "designer"]


@pytest.fixture
def staff(alpha_bot):
    user = factories.UserFactory(username="olga", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=PLATFORM_APPS))
    factories.BotAccessFactory(user=user, bot=alpha_bot, can_operate=True)
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_may_neither_add_nor_change_statistics(staff_client, alpha_bot):
    own = llm_factories.LLMModelFactory(bot=alpha_bot, alias="mine")
    row = factories.ModelPerformanceFactory(model=own.key, llm_model=own, task_type="chat")

    add = staff_client.get(reverse("admin:llmrouter_modelperformance_add"), {"llm_model": own.pk})
    change = staff_client.post(reverse("admin:llmrouter_modelperformance_change", args=[row.pk]),
                               _performance_form(model=own.key, llm_model=own.pk, task_type="chat", requests=5))
    view = staff_client.get(reverse("admin:llmrouter_modelperformance_change", args=[row.pk]))

    assert add.status_code == 403 and change.status_code == 403
    assert view.status_code == 200 and "mine" in view.content.decode()  # their own row, read-only
    row.refresh_from_db()
    assert row.requests == 10


def test_a_raw_id_field_still_names_a_row_the_user_sees(staff_client, alpha_bot):
    mine = factories.WorkflowExecutionFactory(bot=alpha_bot, workflow_name="alpha-invoices")

    response = staff_client.get(reverse("admin:llmrouter_runllmsettings_add"), {"execution": mine.pk})

    assert response.status_code == 200 and "alpha-invoices" in response.content.decode()


def test_raw_id_widget_names_another_organizations_user(staff_client, alpha_bot, bravo_bot):
    """User accounts are the superusers' alone, yet the grant form's raw-id ``user`` field
    rendered the username of any primary key: enumerating ?user=1,2,3... listed every account.
    Someone who shares a bot with the user (directly or through a group) is still named."""
    from django.contrib.auth.models import Group

    bravo_person = factories.UserFactory(username="bravo-boss")
    factories.BotAccessFactory(user=bravo_person, bot=bravo_bot, can_operate=True)
    colleague = factories.UserFactory(username="alpha-colleague")
    team = Group.objects.create(name="alpha-team")
    colleague.groups.add(team)
    factories.BotAccessFactory(group=team, user=None, bot=alpha_bot)

    response = staff_client.get(reverse("admin:bots_botaccess_add"), {"user": bravo_person.pk})
    shown = staff_client.get(reverse("admin:bots_botaccess_add"), {"user": colleague.pk})

    assert response.status_code == 200
    assert "bravo-boss" not in response.content.decode()
    assert "alpha-colleague" in shown.content.decode()


def test_raw_id_widget_names_another_organizations_run(staff_client, bravo_bot):
    run = factories.WorkflowExecutionFactory(bot=bravo_bot, workflow_name="bravo-payroll")

    response = staff_client.get(reverse("admin:llmrouter_runllmsettings_add"), {"execution": run.pk})

    assert response.status_code == 200
    assert "bravo-payroll" not in response.content.decode()


def _performance_form(**fields) -> dict:
    data = {"model": "", "llm_model": "", "task_type": "general", "requests": "0", "successes": "0",
            "total_latency_ms": "0", "latency_mean_ms": "0", "latency_p50_ms": "0", "latency_p95_ms": "0",
            "tokens_in": "0", "tokens_out": "0", "cost": "0"}
    data.update({k: str(v) for k, v in fields.items()})
    return data


def test_the_statistics_form_tells_whether_another_organizations_model_was_used(staff_client, alpha_bot,
                                                                                  bravo_bot):
    """The unique check of (model, task_type) answers for rows the user cannot see."""
    mine = llm_factories.LLMModelFactory(bot=alpha_bot, alias="mine")
    theirs = llm_factories.LLMModelFactory(bot=bravo_bot, alias="secret-gpt")
    factories.ModelPerformanceFactory(model=theirs.key, task_type="legal", llm_model=theirs)

    response = staff_client.post(reverse("admin:llmrouter_modelperformance_add"), _performance_form(
        model="bravo-desk:secret-gpt", llm_model=mine.pk, task_type="legal"))

    assert "already exists" not in response.content.decode()


def test_staff_cannot_plant_statistics_under_another_organizations_model_key(staff_client, alpha_bot, bravo_bot):
    """A row added under the key of Bravo's model is the row Bravo's router folds its calls into
    (``performance_record`` finds it by key): Alpha writes Bravo's routing statistics."""
    from llmrouter.models import ModelPerformance
    from llmrouter.services import performance_record

    mine = llm_factories.LLMModelFactory(bot=alpha_bot, alias="mine")
    theirs = llm_factories.LLMModelFactory(bot=bravo_bot, alias="secret-gpt")

    planted = staff_client.post(reverse("admin:llmrouter_modelperformance_add"), _performance_form(
        model=theirs.key, llm_model=mine.pk, task_type="chat", requests=1000, successes=0))
    call = llm_factories.LLMCallFactory(bot=bravo_bot, model=theirs, model_key=theirs.key, task_type="chat")
    performance_record(call_id=call.pk)

    assert planted.status_code == 403
    stats = ModelPerformance.objects.get(llm_model=theirs, task_type="chat")
    assert (stats.requests, stats.successes) == (1, 1)  # Bravo's one call, nothing typed in by Alpha


def test_the_call_log_of_a_deleted_bot_is_shown_to_every_organization(staff_client, bravo_bot):
    """LLMCall.bot is SET_NULL and the call admin shows calls of no bot to everyone: once Bravo
    removes a bot (its runs first: executions protect it), its call log — model key, cost,
    reason, error — is listed for Alpha's staff."""
    from llmrouter.models import LLMCall

    model = llm_factories.LLMModelFactory(bot=bravo_bot, alias="secret-gpt")
    call = llm_factories.LLMCallFactory(bot=bravo_bot, model=model, model_key=model.key,
                                        error="provider said: contract 42 for ACME is invalid")
    bravo_bot.delete()
    assert LLMCall.objects.filter(pk=call.pk, bot__isnull=True).exists()

    listing = staff_client.get(reverse("admin:llmrouter_llmcall_changelist"))
    page = staff_client.get(reverse("admin:llmrouter_llmcall_change", args=[call.pk]))

    assert "bravo-desk:secret-gpt" not in listing.content.decode()
    assert page.status_code == 302


def test_staff_may_not_plant_statistics_of_a_global_model_every_organization_routes_by(staff_client, bravo_bot):
    """A statistics row of no model (``llm_model`` is not made required for staff, unlike a
    ``bot`` field) is a global row: added by Alpha under a global model's key, it is the row
    the router folds every organization's calls of that model into."""
    from llmrouter.models import ModelPerformance
    from llmrouter.services import performance_record

    shared = llm_factories.LLMModelFactory(alias="shared-fast")

    planted = staff_client.post(reverse("admin:llmrouter_modelperformance_add"), _performance_form(
        model="shared-fast", task_type="chat", requests=1000, successes=0))
    call = llm_factories.LLMCallFactory(bot=bravo_bot, model=shared, model_key=shared.key, task_type="chat")
    performance_record(call_id=call.pk)

    assert planted.status_code == 403
    stats = ModelPerformance.objects.get(llm_model=shared, task_type="chat")
    assert (stats.requests, stats.successes) == (1, 1)
