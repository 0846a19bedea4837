from decimal import Decimal

import pytest

from llmrouter.models import LLMModel, RouterSettings
from tests import factories

# Fake models of the local test server: name -> server behaviour and registry entry.
USAGE = {"prompt_tokens": 1000, "completion_tokens": 1000, "total_tokens": 2000}


@pytest.fixture
def router_settings() -> RouterSettings:
    settings = RouterSettings.objects.order_by("pk").first() or RouterSettings.objects.create()
    return settings


@pytest.fixture
def bot():
    return factories.BotFactory(name="router-bot")


@pytest.fixture
def fleet(llm_server, router_settings):
    """Three global models on the test server, each answering with its own name:

    - ``fast``: no latency, dear ($0.02 / $0.04 per 1k), quality 0.6
    - ``cheap``: 60 ms, cheapest ($0.0005 / $0.001), quality 0.4
    - ``smart``: 30 ms, mid price ($0.005 / $0.01), quality 0.9
    """
    specs = {
        "fast": dict(latency=0.0, price_in="0.02", price_out="0.04", quality=0.6),
        "cheap": dict(latency=0.06, price_in="0.0005", price_out="0.001", quality=0.4),
        "smart": dict(latency=0.03, price_in="0.005", price_out="0.01", quality=0.9),
    }
    models = {}
    for name, spec in specs.items():
        llm_server.configure(name, reply=f"answer from {name}", latency=spec["latency"])
        models[name] = LLMModel.objects.create(
            alias=name, provider_url=llm_server.url + "/v1", model_id=name, price_input_per_1k=Decimal(spec["price_in"]),
            price_output_per_1k=Decimal(spec["price_out"]), quality=spec["quality"], timeout_seconds=5,
        )
    return models
