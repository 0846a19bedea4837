import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotAuthenticated

from generalbots.core.api import exception_handler
from generalbots.core.exceptions import ApplicationError, NotFoundError
from workflows.exceptions import InvalidTransitionError

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
