"""Budgets per run tree (ORCHESTRATE WORKFLOW ... BUDGET) and per bot per day."""

from decimal import Decimal

import pytest

from generalbots.core.exceptions import ApplicationError
from llmrouter.exceptions import BudgetExceededError
from llmrouter.models import LLMCall, LLMModel, RunLLMSettings
from llmrouter.services import llm_chat, run_budget_set
from tests import factories

pytestmark = pytest.mark.django_db

USAGE = {"prompt_tokens": 1000, "completion_tokens": 1000, "total_tokens": 2000}


@pytest.fixture
def priced(llm_server, router_settings):
    """``dear`` costs $0.03 a call (1000 + 1000 tokens), ``thrifty`` $0.002; dear is better.
    Estimates assume 1000 answer tokens, as the server answers."""
    router_settings.expected_output_tokens = 1000
    router_settings.save()
    models = {}
    for alias, price_in, price_out, quality in (("dear", "0.01", "0.02", 0.9), ("thrifty", "0.001", "0.001", 0.3)):
        llm_server.configure(alias, reply=f"from {alias}", usage=USAGE)
        models[alias] = LLMModel.objects.create(alias=alias, provider_url=llm_server.url, model_id=alias,
                                                price_input_per_1k=Decimal(price_in),
                                                price_output_per_1k=Decimal(price_out), quality=quality)
    return models


def ask(bot, execution=None, **options):
    return llm_chat(bot=bot, messages=[{"role": "user", "content": "Hi"}], execution=execution, options=options)


def test_run_budget_set_stores_the_limit_and_refuses_nonsense():
    run = factories.WorkflowExecutionFactory()

    run_budget_set(execution=run, limit="0.50")
    assert RunLLMSettings.objects.get(execution=run).budget == Decimal("0.50")
    with pytest.raises(ApplicationError, match="BUDGET must be an amount of dollars such as 0.50, not 'lots'"):
        run_budget_set(execution=run, limit="lots")
    with pytest.raises(ApplicationError, match="BUDGET must be zero or more dollars"):
        run_budget_set(execution=run, limit=-1)


def test_a_run_budget_routes_to_a_cheaper_model_then_refuses(priced):
    run = factories.WorkflowExecutionFactory()
    run_budget_set(execution=run, limit="0.07")

    first = ask(run.bot, run, model=None, **{"optimize for": "quality", "task": "chat"})
    # dear is chosen by exploration order or quality; either way the spend grows with each call
    calls = [first["model"]]
    with pytest.raises(BudgetExceededError) as refused:
        for _ in range(20):
            calls.append(ask(run.bot, run, model=None, **{"optimize for": "quality", "task": "chat"})["model"])

    spent = sum(c.cost for c in LLMCall.objects.filter(execution=run))
    assert spent <= Decimal("0.07")
    assert calls.count("dear") == 2 and "thrifty" in calls  # once dear no longer fits, the cheaper one answers
    assert spent == Decimal("0.07")
    assert refused.value.message == ("LLM budget of $0.07 for this run would be exceeded: spent $0.07, "
                                     "cheapest model costs ~$0.001.")


def test_a_child_run_spends_from_its_roots_budget(priced):
    root = factories.WorkflowExecutionFactory()
    child = factories.WorkflowExecutionFactory(bot=root.bot, parent=root, root=root)
    run_budget_set(execution=root, limit="0.03")
    ask(root.bot, child, model="dear")  # $0.03: the root's whole budget

    with pytest.raises(BudgetExceededError, match=r"LLM budget of \$0.03 for this run would be exceeded: spent \$0.03,"):
        ask(root.bot, root, model="thrifty")


def test_the_exact_refusal_message(priced):
    run = factories.WorkflowExecutionFactory()
    run_budget_set(execution=run, limit="0.50")
    LLMCall.objects.create(model=priced["dear"], model_key="dear", execution=run, root_execution=run,
                           task_type="chat", cost=Decimal("0.48"))

    with pytest.raises(BudgetExceededError) as refused:
        ask(run.bot, run, model="dear")

    assert refused.value.message == ("LLM budget of $0.50 for this run would be exceeded: spent $0.48, "
                                     "cheapest model costs ~$0.02.")


def test_a_bot_daily_budget_from_config_is_enforced(priced):
    bot = factories.BotFactory(config={"llm-daily-budget": "0.05"})
    ask(bot, model="dear")  # $0.03

    with pytest.raises(BudgetExceededError, match=rf"LLM budget of \$0.05 for bot {bot.name} today would be exceeded: "
                                                  r"spent \$0.03"):
        ask(bot, model="dear")
    assert ask(bot, model="thrifty")["model"] == "thrifty"  # $0.002 still fits


def test_the_router_settings_daily_budget_applies_to_bots_without_their_own(priced, router_settings):
    router_settings.daily_budget = Decimal("0.01")
    router_settings.save()
    bot = factories.BotFactory()

    with pytest.raises(BudgetExceededError, match="for bot .* today would be exceeded: spent \\$0.00"):
        ask(bot, model="dear")


def test_a_daily_budget_that_is_not_an_amount_refuses_calls(priced):
    bot = factories.BotFactory(config={"llm-daily-budget": "five"})

    with pytest.raises(ApplicationError, match="llm-daily-budget must be an amount of dollars such as 5.00, not 'five'"):
        ask(bot)
