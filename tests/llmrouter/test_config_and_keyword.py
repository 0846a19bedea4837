"""Models from a bot's config.csv, and the LLM keywords end to end in a real conversation run."""

from decimal import Decimal

import pytest

from generalbots.bots.choices import Channel
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_post_message
from llmrouter.models import LLMCall, LLMModel, ModelPerformance
from tests.bots.conftest import load, write_package
from tests import factories

pytestmark = pytest.mark.django_db


def config_rows(url: str) -> str:
    return (f"llm-url,{url}/v1\nllm-model,house\nllm-key,env:HOUSE_KEY\n"
            "llm-price-in,0.001\nllm-price-out,0.002\nllm-model-cheap,cheap-model\nllm-price-in-cheap,0.0001\nllm-price-out-cheap,0.0002\n"
            "llm-model-premium,premium-model\nllm-price-in-premium,0.01\nllm-price-out-premium,0.03\n"
            "llm-quality-premium,0.95\nllm-tasks-premium,reason,code\n"
            "llm-url-local,http://127.0.0.1:1/v1\nllm-key-local,sk-literal\nllm-temperature,0.2\n")


def allow_key_variables(names: str, organization=None) -> None:
    """What a superuser does on the organization's admin page (LLM key variables)."""
    from generalbots.core.services import organization_get_default

    organization = organization or organization_get_default()
    organization.llm_key_variables = names
    organization.save(update_fields=["llm_key_variables"])


def test_a_key_variable_the_organization_does_not_allow_is_a_package_problem_and_never_read(
        tmp_path, llm_server, monkeypatch):
    """config.csv is written by the organization's people: ``env:NAME`` of any variable would send
    the server's secrets (another organization's key, the secret key) to the file's own llm-url."""
    monkeypatch.setenv("HOUSE_KEY", "sk-not-theirs")
    allow_key_variables("SHOP_KEY, OTHER_KEY")
    write_package(tmp_path, "shop", {"start.bas": 'TALK LLM "hello" WITH TASK "chat"\n'},
                  f"llm-url,{llm_server.url}/v1\nllm-model,house\nllm-key,env:HOUSE_KEY\n")

    bot = load(tmp_path, "shop")
    conversation, result = start(bot)

    conversation.refresh_from_db()
    messages = [problem["message"] for problem in bot.problems]
    assert ("llm-key names $HOUSE_KEY, which organization default may not read; the model is kept but cannot call "
            "until a superuser allows the variable on the organization (LLM key variables)") in messages
    assert not [r for r in llm_server.requests if "sk-not-theirs" in r["headers"].get("Authorization", "")]
    assert "The API key of model shop:default is in $HOUSE_KEY, which organization default may not read" in (
        conversation.last_error)
    allow_key_variables("SHOP_KEY\nHOUSE_KEY")
    _conversation, result = start(bot)
    assert [r["headers"]["Authorization"] for r in llm_server.requests if r["body"]][-1:] == ["Bearer sk-not-theirs"]


def test_config_rows_become_the_bots_models(tmp_path, llm_server):
    write_package(tmp_path, "shop", {"start.bas": 'TALK "hi"\n'}, config_rows(llm_server.url))

    bot = load(tmp_path, "shop")

    models = {m.alias: m for m in LLMModel.objects.filter(bot=bot)}
    assert set(models) == {"default", "cheap", "premium", "local"}
    assert (models["default"].model_id, models["default"].api_key_env, models["default"].api_key) == ("house", "HOUSE_KEY", "")
    assert models["cheap"].provider_url == llm_server.url + "/v1"  # inherits llm-url
    assert models["cheap"].api_key_env == "HOUSE_KEY"  # and llm-key
    assert (models["premium"].price_output_per_1k, models["premium"].quality) == (Decimal("0.03"), 0.95)
    assert models["premium"].task_types == ["reason", "code"]
    assert (models["local"].provider_url, models["local"].api_key) == ("http://127.0.0.1:1/v1", "sk-literal")
    assert {m.source for m in models.values()} == {"config"}


def test_a_reload_drops_models_that_left_the_config_and_keeps_admin_ones(tmp_path, llm_server):
    package = write_package(tmp_path, "shop", {"start.bas": 'TALK "hi"\n'}, config_rows(llm_server.url))
    bot = load(tmp_path, "shop")
    LLMModel.objects.create(bot=bot, alias="ops", provider_url="http://127.0.0.1:2/v1", model_id="ops")

    (package / "shop.gbot" / "config.csv").write_text(f"name,value\nllm-url,{llm_server.url}\nllm-model,house\n")
    load(tmp_path, "shop")

    assert set(LLMModel.objects.filter(bot=bot).values_list("alias", flat=True)) == {"default", "ops"}


def test_bad_numbers_in_config_are_problems_not_failures(tmp_path, llm_server):
    write_package(tmp_path, "shop", {"start.bas": 'TALK "hi"\n'},
                  f"llm-url,{llm_server.url}\nllm-price-in,cheap\nllm-tasks,chat,poetry\n")

    bot = load(tmp_path, "shop")

    messages = [p["message"] for p in bot.problems]
    assert "llm-price-in must be a number (dollars per 1000 tokens), not 'cheap'; ignored" in messages
    assert any(m.startswith("llm-tasks names unknown task types poetry") for m in messages)
    assert LLMModel.objects.get(bot=bot).task_types == ["chat"]


@pytest.fixture
def make_shop(tmp_path, llm_server, monkeypatch):
    """A bot whose start.bas is ``start``, with three models on the test server, each answering
    with its own name, all measured for summaries."""
    monkeypatch.setenv("HOUSE_KEY", "sk-test")
    allow_key_variables("HOUSE_KEY")

    def make(start: str):
        write_package(tmp_path, "shop", {"start.bas": start}, config_rows(llm_server.url))
        bot = load(tmp_path, "shop")
        for alias, model_id in (("default", "house"), ("cheap", "cheap-model"), ("premium", "premium-model")):
            llm_server.configure(model_id, reply=f"{model_id} says hi")
            ModelPerformance.objects.create(model=f"shop:{alias}", task_type="summarize", requests=10, successes=10,
                                            llm_model=LLMModel.objects.get(bot=bot, alias=alias),
                                            organization=bot.organization,
                                            latency_p50_ms=100, latency_p95_ms=120, tokens_out=500)
        LLMModel.objects.filter(bot=bot, alias="local").update(enabled=False)
        return bot

    return make


def start(bot):
    conversation = conversation_get_or_create(bot=bot, user=factories.UserFactory(), channel=Channel.API)
    return conversation, conversation_post_message(conversation=conversation, text="hello")


def run_of(bot):
    from workflows.models import WorkflowExecution

    return WorkflowExecution.objects.get(bot=bot, workflow_name="start")


def test_llm_with_optimize_for_cost_in_a_script_is_answered_by_the_cheapest(make_shop, llm_server):
    shop = make_shop('x = LLM "Summarise the case" WITH OPTIMIZE FOR "cost"\nTALK x\n')

    _conversation, result = start(shop)

    assert [m.text for m in result.replies][0] == "cheap-model says hi"
    call = LLMCall.objects.get(model_key="shop:cheap")
    assert (call.goal, call.task_type, call.bot, call.execution) == ("cost", "summarize", shop, run_of(shop))
    assert call.reason.startswith("cheapest for summarize: shop:cheap ~$")
    assert llm_server.chat_requests("cheap-model")[0]["messages"][-1]["content"] == "Summarise the case"


def test_use_model_pins_the_run_and_the_conversation(make_shop, llm_server):
    shop = make_shop('USE MODEL "premium"\nx = LLM "Summarise the case"\nTALK x\nHEAR y\n')
    conversation, result = start(shop)

    assert [m.text for m in result.replies] == ["premium-model says hi"]
    assert LLMCall.objects.get(model_key="shop:premium").reason == ("pinned by USE MODEL premium "
                                                                    "(task summarize guessed from the prompt)")
    conversation_post_message(conversation=conversation, text="the answer to HEAR")
    reply = conversation_post_message(conversation=conversation, text="and now?")
    assert [m.text for m in reply.replies] == ["premium-model says hi"]  # the free answer keeps the pin
    assert any(r["headers"].get("Authorization") == "Bearer sk-test" for r in llm_server.requests)


def test_use_model_with_an_unknown_alias_fails_the_script_naming_it(make_shop):
    shop = make_shop('USE MODEL "gpt-9"\n')

    start(shop)

    assert ("USE MODEL: bot shop has no enabled model named 'gpt-9' (known: cheap, default, premium)"
            in run_of(shop).error)


def test_a_limit_no_model_meets_fails_the_script_with_the_reason(make_shop):
    shop = make_shop('x = LLM "Summarise the case" WITH MAX_COST 0.0000001\nTALK x\n')

    start(shop)

    assert "LLM: No model meets MAX_COST $0.0000001: the cheapest, shop:cheap, costs ~$" in run_of(shop).error
