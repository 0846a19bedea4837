import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotAuthenticated
from rest_framework.test import APIClient

from generalbots.core.api import exception_handler
from generalbots.core.exceptions import ApplicationError, NotFoundError
from memory.models import BotMemory
from tests import factories
from workflows.exceptions import InvalidTransitionError
from workflows.models import WorkflowEvent, WorkflowExecution

pytestmark = pytest.mark.django_db


def test_api_root_refuses_anonymous_requests_with_the_error_envelope(client):
    response = client.get("/api/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_api_root_lists_schema_and_docs_for_a_token(client, admin_user):
    token = Token.objects.create(user=admin_user)

    response = client.get("/api/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json()["schema"].endswith("/api/schema/")
    assert response.json()["docs"].endswith("/api/schema/docs/")


def test_openapi_schema_and_docs_are_served(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = admin_client.get("/api/schema/docs/")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "General Bots API"
    assert docs.status_code == 200


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (ApplicationError("Bad.", code="bots.bad", extra={"x": 1}), 400, "bots.bad"),
        (NotFoundError("No such bot."), 404, "not_found"),
        (InvalidTransitionError("A completed run cannot become running."), 409, "workflows.invalid_transition"),
    ],
)
def test_application_errors_render_with_their_status_and_code(error, status, code):
    response = exception_handler(error, {})

    assert response.status_code == status
    assert response.data == {"error": {"code": code, "message": error.message, "extra": error.extra}}


def test_django_validation_errors_render_as_400_with_fields():
    response = exception_handler(ValidationError({"name": ["Too long."]}), {})

    assert response.status_code == 400
    assert response.data["error"]["extra"] == {"fields": {"name": ["Too long."]}}


def test_drf_errors_keep_their_status_inside_the_envelope():
    response = exception_handler(NotAuthenticated(), {})

    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"


# --- bad input is a 400 naming the field, never a 500 ------------------------------------------

DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def root():
    """An API client of a superuser, and a bot ``refunds`` with a start dialog and a memory."""
    bot = factories.BotFactory(name="refunds")
    factories.BotScriptFactory(bot=bot, name="start", problems=[])
    factories.BotMemoryFactory(bot=bot, key="greeting")
    user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def fields_of(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["extra"]["fields"]


@pytest.mark.parametrize(("url", "parameter"), [
    ("/api/llm/models?bot=%00", "bot"),
    ("/api/llm/performance?model=a%00", "model"),
    ("/api/workflows/?name=%00", "name"),
    ("/api/events/?bot=%00", "bot"),
    ("/api/approvals/?bot=a%00", "bot"),
    ("/api/bots/refunds/messages?conversation=%00", "conversation"),
    ("/api/bots/refunds/memory/?anything=%00", "anything"),
])
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(root, url, parameter):
    response = root.get(url)

    assert "NUL" in str(fields_of(response)[parameter])


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_a_nul_in_a_memory_key_of_the_url_is_a_400_naming_the_key(root, method):
    response = getattr(root, method)("/api/bots/refunds/memory/greet%00ing", {"value": 1}, format="json")

    assert "NUL" in str(fields_of(response)["key"])
    assert BotMemory.objects.filter(key__startswith="greet").count() == 1


@pytest.mark.parametrize(("variables", "problem"), [
    ('{"note": "a\\u0000b"}', "at note: the text contains a NUL character"),
    ('{"a\\u0000": 1}', "contains a NUL character"),
    ('{"note": ["ok", "\\ud800"]}', r"at note[1]: the text contains a lone surrogate ('\ud800')"),
    ('{"amount": 1e999}', "at amount: inf is not a finite number"),
    ('{"amount": -1e999}', "-inf is not a finite number"),
])
def test_workflow_variables_that_cannot_be_stored_are_a_400_naming_them(root, variables, problem):
    body = '{"bot": "refunds", "variables": %s}' % variables

    response = root.post("/api/workflows/", body, content_type="application/json")

    assert problem in fields_of(response)["variables"][0]
    assert not WorkflowExecution.objects.exists()


def test_nan_in_a_body_is_a_400_saying_it_is_not_json(root):
    response = root.post("/api/workflows/", '{"bot": "refunds", "variables": {"x": NaN}}',
                         content_type="application/json")

    assert response.status_code == 400
    assert "NaN is not a JSON number" in response.json()["error"]["message"]


@pytest.mark.parametrize(("url", "method", "body", "field"), [
    ("/api/workflows/", "post", '{"bot": "refunds", "variables": {"deep": %s}}' % DEEP, "variables"),
    ("/api/bots/refunds/memory/greeting", "put", '{"value": %s}' % DEEP, "value"),
    ("/api/events/", "post", '{"name": "tick", "data": %s}' % DEEP, "data"),
])
def test_json_nested_5000_deep_is_a_400_naming_the_field(root, url, method, body, field):
    response = getattr(root, method)(url, body, content_type="application/json")

    assert "Nested deeper than 256 levels" in str(fields_of(response)[field])


def test_a_body_that_is_not_utf8_is_a_400_saying_so(root):
    response = root.post("/api/events/", b'{"name": "\xff"}', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": "parse_error", "extra": {},
                                        "message": "JSON parse error - the body is not utf-8 text (invalid start byte)."}


def test_json_nested_too_deep_outside_an_object_is_a_400(root):
    response = root.post("/api/events/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert "the body is nested deeper than 257 levels" in response.json()["error"]["message"]


def test_a_value_nested_256_deep_is_stored_and_257_refused(root):
    url = "/api/bots/refunds/memory/greeting"

    kept = root.put(url, '{"value": %s}' % ("[" * 256 + "]" * 256), content_type="application/json")
    refused = root.put(url, '{"value": %s}' % ("[" * 257 + "]" * 257), content_type="application/json")

    assert kept.status_code == 200
    assert "Nested deeper than 256 levels" in fields_of(refused)["value"][0]


def test_brackets_inside_strings_do_not_count_as_nesting(root):
    response = root.put("/api/bots/refunds/memory/greeting", {"value": {"text": "[{" * 100}}, format="json")

    assert response.status_code == 200
    assert response.json()["value"] == {"text": "[{" * 100}


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/bots/refunds/memory/greeting", '{"value": {"k\\u0000": 1}}', "value"),
    ("/api/bots/refunds/memory/greeting", '{"value": "\\udc00"}', "value"),
    ("/api/events/", '{"name": "tick", "data": {"id": "\\u0000"}}', "data"),
    ("/api/events/", '{"name": "tick", "data": {"n": 1e400}}', "data"),
])
def test_memory_values_and_event_data_that_cannot_be_stored_are_a_400(root, url, body, field):
    response = (root.put if "memory" in url else root.post)(url, body, content_type="application/json")

    assert "Not storable JSON" in str(fields_of(response)[field])
    assert not WorkflowEvent.objects.exists()
    assert BotMemory.objects.get(key="greeting").value == {"n": 1}


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=5000", "offset=-1", "offset=99999999999"])
def test_a_page_outside_the_bounds_is_a_400_naming_the_parameter(root, query):
    name = query.split("=")[0]

    assert "whole number" in str(fields_of(root.get(f"/api/workflows/?{query}"))[name])


def test_an_empty_filter_is_refused_rather_than_ignored(root):
    assert "status" in fields_of(root.get("/api/workflows/?status="))


def test_an_unknown_api_url_is_a_json_404_pointing_at_the_slash(root):
    response = root.get("/api/workflows")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["message"].startswith("No API endpoint /api/workflows. Did you mean /api/workflows/?")
