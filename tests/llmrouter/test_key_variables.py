"""A bot's model reads only the key variables its organization is allowed (Organization.
llm_key_variables, set by superusers): from a package's config.csv (tests/llmrouter/
test_config_and_keyword.py) and from the admin alike, since an organization's staff may edit its
bots' models there too."""

import pytest
from django.core.exceptions import ValidationError

from llmrouter.checks import check_model_registry
from tests import factories
from tests.llmrouter.factories import LLMModelFactory

pytestmark = pytest.mark.django_db


def test_a_model_of_a_bot_may_not_name_a_variable_its_organization_does_not_allow(monkeypatch):
    monkeypatch.setenv("ALPHA_KEY", "sk-alpha")
    organization = factories.OrganizationFactory(slug="alpha", llm_key_variables="ALPHA_KEY")
    bot = factories.BotFactory(name="alpha-desk", organization=organization)

    with pytest.raises(ValidationError) as refused:
        LLMModelFactory.build(bot=bot, alias="x", api_key_env="DJANGO_SECRET_KEY").full_clean()
    LLMModelFactory.build(bot=bot, alias="y", api_key_env="ALPHA_KEY").full_clean()  # allowed
    LLMModelFactory.build(bot=None, alias="z", api_key_env="DJANGO_SECRET_KEY").full_clean()  # global: superusers'

    assert refused.value.message_dict == {"api_key_env": [
        "Organization alpha may not read $DJANGO_SECRET_KEY: a superuser adds it to the organization's LLM key "
        "variables first."]}


def test_the_system_check_names_a_stored_model_whose_variable_is_not_allowed(monkeypatch):
    monkeypatch.setenv("PLATFORM_KEY", "sk-platform")
    bot = factories.BotFactory(name="b-desk", organization=factories.OrganizationFactory(slug="bravo"))
    LLMModelFactory(bot=bot, alias="default", api_key_env="PLATFORM_KEY")  # stored before the rule

    found = [(p.id, p.msg) for p in check_model_registry(None)]

    assert ("llmrouter.E005", "LLM model b-desk:default reads its API key from $PLATFORM_KEY, which organization "
            "bravo may not read: its calls fail.") in found
