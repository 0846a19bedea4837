"""The OpenAPI schema at ``/api/schema/`` tells the truth about the live ASGI application.

Schemathesis reads the schema the application serves and sends every operation valid and
invalid requests (all its checks: no server error, status codes, content types and bodies as
documented, invalid input refused, valid input accepted, authentication enforced) — as a
superuser, as a user without any grant and anonymously. Bounded and deterministic: a fixed
number of examples per operation, derandomized, no example database.

Strings are generated without NUL characters: JSON Schema cannot say "no NUL anywhere in this
free JSON value", so the refusals of NUL are proven by tests/core/test_api.py instead.
"""

from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from generalbots.asgi import application
from generalbots.bots.models import Bot
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 12
CONFIG = {
    "checks": {"enabled": True},  # every check (schemathesis --checks all)
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "allow-x00": False, "database": "none"},
}


@dataclass
class Caller:
    name: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    run: object
    approvals: list
    user: object = None


def world() -> World:
    """A little of everything the API shows: a bot with runs, steps, events, approvals,
    memories and shares, so list and detail answers have bodies to check."""
    org = factories.OrganizationFactory(slug="acme")
    bot = factories.BotFactory(name="refunds", organization=org)
    other = factories.BotFactory(name="triage", organization=org)
    factories.BotScriptFactory(bot=bot, name="start", source='TALK "hello"\n', problems=[])
    parent = factories.WorkflowExecutionFactory(bot=bot, is_workflow=True, status="failed", error="boom",
                                                error_step="1", error_line=3)
    factories.WorkflowStepFactory(execution=parent, label="1", status="failed")
    factories.WorkflowExecutionFactory(bot=other, parent=parent, root=parent, kind="child", status="completed")
    factories.WorkflowEventFactory(workflow=parent, event_data={"order": {"id": 7}})
    approvals = factories.WorkflowApprovalFactory.create_batch(2, execution__bot=bot)
    memory = factories.BotMemoryFactory(bot=bot, key="greeting", value={"text": "hi"})
    factories.MemoryVersionFactory(memory=memory)
    factories.BotSharedMemoryFactory(source_bot=bot, target_bot=other)
    factories.ModelPerformanceFactory()
    return World(run=parent, approvals=approvals)


@pytest.fixture(params=["superuser", "user without grants", "anonymous"])
def caller(request) -> Caller:
    world()
    if request.param == "anonymous":
        return Caller(request.param)
    user = (factories.UserFactory(username="root", is_superuser=True, is_staff=True)
            if request.param == "superuser" else factories.UserFactory(username="nobody"))
    return Caller(request.param, {"Authorization": f"Token {Token.objects.create(user=user).key}"})


# Read from the application when the module loads (the schema needs no database); the lazy
# ``schemathesis.pytest.from_fixture`` does not run under pytest 9.
schema = schemathesis.openapi.from_asgi("/api/schema/?format=json", application, headers={"Host": "localhost"},
                                        config=schemathesis.Config.from_dict(CONFIG))


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the world is read, not reset
def test_every_operation_answers_as_the_schema_says(case, caller):
    case.call_and_validate(headers=caller.headers)


def _superuser_headers() -> dict[str, str]:
    user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def _watcher_headers(bot_name: str) -> dict[str, str]:
    user = factories.UserFactory(username="walt")
    factories.BotAccessFactory(user=user, bot=Bot.objects.get(name=bot_name), can_operate=False)
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


# (operation, who asks, what to send given the world, the status it answers)
REAL_REQUESTS = [
    ("GET /api/workflows/", "superuser", lambda w: {"query": {"status": "failed"}}, 200),
    ("GET /api/workflows/{id}/", "superuser", lambda w: {"path_parameters": {"id": str(w.run.pk)}}, 200),
    ("POST /api/workflows/", "superuser", lambda w: {"body": {"bot": "refunds", "variables": {"amount": 5}}}, 201),
    ("POST /api/workflows/", "superuser", lambda w: {"body": {"bot": "refunds", "variables": {"a": "\x00"}}}, 400),
    ("POST /api/workflows/{id}/cancel", "superuser", lambda w: {"path_parameters": {"id": str(w.run.pk)}}, 409),
    ("POST /api/workflows/{id}/cancel", "watcher", lambda w: {"path_parameters": {"id": str(w.run.pk)}}, 403),
    ("POST /api/workflows/{id}/retry", "superuser", lambda w: {"path_parameters": {"id": str(w.run.pk)}}, 200),
    ("GET /api/approvals/", "superuser", lambda w: {}, 200),
    ("POST /api/approvals/{id}/approve", "superuser",
     lambda w: {"path_parameters": {"id": str(w.approvals[0].pk)}, "body": {"comment": "fine"}}, 200),
    ("POST /api/approvals/{id}/reject", "superuser", lambda w: {"path_parameters": {"id": str(w.approvals[1].pk)}}, 200),
    ("GET /api/events/", "superuser", lambda w: {"query": {"organization": "acme"}}, 200),
    ("POST /api/events/", "superuser", lambda w: {"body": {"name": "order.paid", "data": {"id": 7}}}, 201),
    ("GET /api/bots/{bot}/memory/", "superuser", lambda w: {"path_parameters": {"bot": "refunds"}}, 200),
    ("GET /api/bots/{bot}/memory/{key}", "superuser",
     lambda w: {"path_parameters": {"bot": "refunds", "key": "greeting"}}, 200),
    ("GET /api/bots/{bot}/memory/{key}", "superuser",
     lambda w: {"path_parameters": {"bot": "refunds", "key": "nothing"}}, 404),
    ("PUT /api/bots/{bot}/memory/{key}", "superuser",
     lambda w: {"path_parameters": {"bot": "refunds", "key": "greeting"}, "body": {"value": [1, "two"]}}, 200),
    ("DELETE /api/bots/{bot}/memory/{key}", "superuser",
     lambda w: {"path_parameters": {"bot": "refunds", "key": "greeting"}}, 204),
    ("GET /api/bots/{bot}/memory-shares/", "superuser", lambda w: {"path_parameters": {"bot": "refunds"}}, 200),
    ("POST /api/bots/{bot}/messages", "superuser",
     lambda w: {"path_parameters": {"bot": "refunds"}, "body": {"text": "hi"}}, 200),
    ("GET /api/bots/{bot}/messages", "superuser", lambda w: {"path_parameters": {"bot": "refunds"}}, 200),
    ("GET /api/llm/models", "superuser", lambda w: {}, 200),
    ("GET /api/llm/performance", "superuser", lambda w: {}, 200),
    ("GET /api/llm/models", "anonymous", lambda w: {}, 401),
]


@pytest.mark.parametrize(("label", "who", "request_of", "status"), REAL_REQUESTS,
                         ids=[f"{label} {who} {status}" for label, who, _, status in REAL_REQUESTS])
def test_real_objects_answer_as_the_schema_says(label, who, request_of, status):
    """The examples above reach real rows (the fuzzer mostly meets unknown ids): their answers,
    errors included, pass every check against the schema."""
    data = world()
    headers = {"superuser": _superuser_headers, "anonymous": dict}.get(who, lambda: _watcher_headers("refunds"))()
    case = schema.find_operation_by_label(label).Case(**request_of(data))

    response = case.call(headers=headers)

    assert response.status_code == status, response.text
    case.validate_response(response, headers=headers)
