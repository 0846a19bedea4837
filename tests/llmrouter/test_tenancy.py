"""Staff of one organization see the LLM models, statistics and calls of their own bots only."""

import pytest
from django.urls import reverse

from generalbots.bots.models import BotAccess
from tests import factories
from tests.llmrouter.factories import LLMCallFactory, LLMModelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tenants():
    mine = factories.BotFactory(name="a-chat")
    theirs = factories.BotFactory(name="b-secret")
    staff = factories.UserFactory(username="a-ops", is_staff=True)
    BotAccess.objects.create(bot=mine, user=staff)
    own = LLMModelFactory(alias="a-model", bot=mine, provider_url="http://a-llm.internal/v1")
    other = LLMModelFactory(alias="b-model", bot=theirs, provider_url="http://b-llm.internal/v1")
    factories.ModelPerformanceFactory(model="a-model", llm_model=own, task_type="chat")
    factories.ModelPerformanceFactory(model="b-model", llm_model=other, task_type="chat")
    LLMCallFactory(model=own, bot=mine, reason="a's own decision")
    LLMCallFactory(model=other, bot=theirs, reason="b's private decision")
    return staff


def test_the_models_api_shows_a_staff_user_only_the_models_of_their_bots(client, two_tenants):
    client.force_login(two_tenants)

    listed = client.get(reverse("llm-model-list")).json()["results"]
    filtered = client.get(reverse("llm-model-list"), {"bot": "b-secret"}).json()

    assert [m["alias"] for m in listed] == ["a-model"]
    assert filtered["count"] == 0  # another organization's bot filters like one that does not exist


def test_the_performance_api_shows_a_staff_user_only_their_models(client, two_tenants):
    client.force_login(two_tenants)

    rows = client.get(reverse("llm-performance-list")).json()["results"]

    assert [r["model"] for r in rows] == ["a-model"]


def test_the_llm_dashboard_shows_a_staff_user_only_their_bots(client, two_tenants):
    client.force_login(two_tenants)

    html = client.get(reverse("llmrouter:dashboard")).content.decode()

    assert "a-model / chat" in html and "a&#x27;s own decision" in html
    assert "b-model" not in html and "b-secret" not in html and "private decision" not in html


def test_a_superuser_sees_every_organization(admin_client, two_tenants):
    rows = admin_client.get(reverse("llm-model-list")).json()["results"]

    assert {m["alias"] for m in rows} == {"a-model", "b-model"}
