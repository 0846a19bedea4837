"""Model endpoints written in a bot's package (llm-url, embedding-url in config.csv) reach private
and local addresses only inside GB_MODEL_ALLOWED_NETWORKS; models an operator registered may be
anywhere. The refusal happens before any connection is made."""

import pytest
from django.test import override_settings

from llmrouter.choices import ModelSource
from llmrouter.exceptions import RoutingError
from llmrouter.models import LLMCall
from llmrouter.services import llm_chat
from memory.embeddings import EmbeddingError, Embedder
from tests import factories
from tests.llmrouter.factories import LLMModelFactory

pytestmark = pytest.mark.django_db(transaction=True)


def ask(bot):
    return llm_chat(bot=bot, messages=[{"role": "user", "content": "hello"}], options={})


@pytest.mark.parametrize("url", ["http://169.254.169.254/v1", "http://10.20.30.40:8000/v1",
                                 "http://[64:ff9b::a9fe:a9fe]/v1"])
def test_a_packages_model_url_to_a_private_address_is_refused(router_settings, url):
    bot = factories.BotFactory(name="tenant-bot")
    LLMModelFactory(alias="mine", bot=bot, provider_url=url, source=ModelSource.CONFIG)

    with pytest.raises(RoutingError):
        ask(bot)

    call = LLMCall.objects.get(bot=bot)
    assert not call.success and "private or local address" in call.error


def test_the_machine_itself_is_allowed_by_default_and_refused_when_the_operator_says_so(router_settings,
                                                                                       llm_server):
    llm_server.configure("local", reply="from the local model")
    bot = factories.BotFactory(name="tenant-bot")
    LLMModelFactory(alias="local", model_id="local", bot=bot, provider_url=llm_server.url,
                    source=ModelSource.CONFIG)

    assert ask(bot)["content"] == "from the local model"
    with override_settings(GB_MODEL_ALLOWED_NETWORKS=[]):
        before = len(llm_server.requests)
        with pytest.raises(RoutingError):
            ask(bot)
        assert len(llm_server.requests) == before  # nothing was sent


def test_a_model_an_operator_registered_may_be_on_a_private_address(router_settings, llm_server):
    llm_server.configure("intranet", reply="from the operator's model")
    bot = factories.BotFactory(name="tenant-bot")
    LLMModelFactory(alias="intranet", model_id="intranet", provider_url=llm_server.url, source=ModelSource.ADMIN)

    with override_settings(GB_MODEL_ALLOWED_NETWORKS=[]):
        assert ask(bot)["content"] == "from the operator's model"


def test_an_embedding_url_of_a_package_to_a_private_address_is_refused():
    bot = factories.BotFactory(name="tenant-bot", config={"embedding-url": "http://169.254.169.254/v1"})

    with pytest.raises(EmbeddingError, match="private or local address"):
        Embedder.for_bot(bot).embed(["hello"])
