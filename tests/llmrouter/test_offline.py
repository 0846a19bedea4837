"""The built-in offline model (llmrouter.offline): deterministic answers from the bot's profile
for the simple intents, passages when a knowledge base is in use, and the profile never leaves
for a real endpoint."""

import pytest

from llmrouter.offline import intent_of, profile_message
from llmrouter.providers import ModelConfig, chat, passages_message

PROFILE = {"name": "refunds", "title": "Refund desk", "description": "Refunds an order and restocks its item.",
           "workflow": "refund-flow",
           "inputs": [{"name": "amount", "type": "number", "description": "refund amount", "required": True,
                       "default": ""},
                      {"name": "order_id", "type": "", "description": "", "required": False, "default": "A-1"}],
           "tools": [{"name": "order_status", "description": "Looks an order up."}]}


def ask(text: str, *extra: dict) -> str:
    return chat([profile_message(PROFILE), *extra, {"role": "user", "content": text}])["content"]


@pytest.mark.parametrize(("text", "intent"), [
    ("Hello!", "greeting"), ("good morning", "greeting"), ("Olá", "greeting"), ("hi there", "greeting"),
    ("What can you do?", "help"), ("help", "help"), ("who are you", "help"),
    ("What do you need to start?", "inputs"), ("which inputs?", "inputs"),
    ("thanks a lot", "thanks"), ("bye", "bye"),
    ("this is about my order", None),  # "hi" inside "this" is no greeting
    ("hello, my parcel from the shop arrived broken yesterday and I want a refund for the whole order", None),
])
def test_intents(text, intent):
    assert intent_of(text) == intent


def test_a_greeting_says_who_the_bot_is_what_it_does_and_that_it_is_offline():
    assert ask("Hi!") == ("[offline model] Hello! I am Refund desk. Refunds an order and restocks its item. I run the "
                          "workflow 'refund-flow'. I can also: order_status (Looks an order up.). "
                          'Ask me "what do you need?" to see what I need to start.')


def test_asking_what_it_needs_lists_the_workflows_inputs():
    assert ask("what do you need?") == ("[offline model] To start the workflow 'refund-flow' I need:\n"
                                        "- amount (number, required): refund amount\n"
                                        "- order_id (optional, default A-1)")


def test_help_describes_and_lists_the_inputs():
    answer = ask("what can you do?")
    assert answer.startswith("[offline model] I am Refund desk. Refunds an order") and "- amount (number" in answer


def test_passages_answer_what_small_talk_does_not():
    passages = passages_message([{"source": "faq/refunds.md", "text": "Refunds take 5 days."}])
    assert ask("How long does a refund take?", passages) == "Refunds take 5 days.\n\nSource: [faq/refunds.md]"
    assert ask("hello", passages).startswith("[offline model] Hello! I am Refund desk.")


def test_anything_else_says_what_it_got_and_how_to_get_an_answer():
    assert ask("where is my parcel") == ("[offline model] I received: where is my parcel\nI am an offline model, so I "
                                         'answer only from what I know about Refund desk: ask "what can you do?" or '
                                         '"what do you need?".')


def test_the_profile_is_never_sent_to_a_real_endpoint(llm_server):
    chat([profile_message(PROFILE), {"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
         model_config=ModelConfig(url=llm_server.url, model="m"))
    (body,) = llm_server.chat_requests()
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]


def test_a_profile_given_as_a_function_is_built_only_when_the_offline_model_answers(llm_server):
    built = []

    def profile():
        built.append(1)
        return PROFILE

    chat([profile_message(profile), {"role": "user", "content": "hi"}], model_config=ModelConfig(url=llm_server.url,
                                                                                               model="m"))
    assert built == []  # a real endpoint answered: never built

    answer = chat([profile_message(profile), {"role": "user", "content": "What can you do?"}])["content"]
    assert built == [1] and "I am Refund desk." in answer
