from decimal import Decimal

import factory

from llmrouter.models import LLMCall, LLMModel, RouterSettings, RunLLMSettings
from tests.factories import BotFactory, WorkflowExecutionFactory


class LLMModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LLMModel

    alias = factory.Sequence(lambda n: f"model-{n}")
    provider_url = "http://127.0.0.1:9/v1"
    model_id = factory.LazyAttribute(lambda o: o.alias)
    price_input_per_1k = Decimal("0.001")
    price_output_per_1k = Decimal("0.002")
    quality = 0.5


class RouterSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouterSettings


class RunLLMSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunLLMSettings

    execution = factory.SubFactory(WorkflowExecutionFactory)
    budget = Decimal("0.50")
    pinned_alias = "fast"


class LLMCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LLMCall

    model = factory.SubFactory(LLMModelFactory)
    model_key = factory.LazyAttribute(lambda o: o.model.alias)
    bot = factory.SubFactory(BotFactory)
    task_type = "chat"
    goal = "cost"
    latency_ms = 120
    tokens_in = 10
    tokens_out = 20
    cost = Decimal("0.000050")
    reason = "cheapest for chat: a ~$0.00005 vs b ~$0.0002"
