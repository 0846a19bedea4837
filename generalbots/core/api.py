"""DRF glue shared by every app: the exception handler, the base view, the error shape in
the OpenAPI schema and the API root."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, Resolver404, resolve
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from generalbots.core.api_input import ApiPagination, url_parameter_errors
from generalbots.core.exceptions import ApplicationError, NotFoundError


def _error(code: str, message: str, extra: dict, http_status: int) -> Response:
    return Response({"error": {"code": code, "message": message, "extra": extra}}, status=http_status)


def exception_handler(exc, context):
    """Render every error as ``{"error": {"code", "message", "extra"}}``.

    ApplicationError carries its own status; Django's ValidationError is a 400 with the
    messages per field in ``extra``; DRF's own exceptions keep their status and details.
    """
    if isinstance(exc, ApplicationError):
        return _error(exc.code, exc.message, exc.extra, exc.http_status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error("invalid", "Invalid input.", {"fields": fields}, status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        message = str(detail["detail"])
        extra: dict = {}
    else:
        message = "Invalid input."
        extra = {"fields": detail}
    code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": message, "extra": extra}}
    return response


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Namespaced error code, e.g. workflows.not_found or invalid.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    extra = serializers.DictField(help_text="Details; invalid input lists its messages per field in fields.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (``exception_handler``)."""

    error = ErrorDetailSerializer()


# Error answers every operation may give, and what they mean.
ERROR_RESPONSES = {
    "400": "Invalid input: extra.fields names each refused field or parameter.",
    "401": "No valid credentials (token or session).",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or one you may not see.",
}
# Only where a request body is read.
BODY_ERROR_RESPONSES = {"415": "The body is not JSON (send Content-Type: application/json)."}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers (``ErrorSerializer``) of every operation
    (an operation declaring its own answer for a status, e.g. 409, keeps it); text fields of
    request bodies that refuse "" documented with ``minLength: 1``; nullable free JSON as "any
    value" (drf-spectacular's ``oneOf: [{}, null]`` matches null twice, so refuses it)."""

    def _get_pagination_parameters(self):
        # a PaginatedApiView's GET reads limit/offset even when its page has more than results
        if self.method == "GET" and isinstance(self.view, PaginatedApiView):
            return self._get_paginator().get_schema_operation_parameters(self.view)
        return super()._get_pagination_parameters()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if {} in schema.get("oneOf", ()):  # spectacular's nullable "any": oneOf [{}, null] refuses null
            del schema["oneOf"]
        if (direction == "request" and isinstance(field, serializers.CharField) and not field.allow_blank
                and schema.get("type") == "string" and "minLength" not in schema):
            schema["minLength"] = 1
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            errors.update(BODY_ERROR_RESPONSES)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction)
        return dict(sorted(responses.items()))


def conflict(description: str) -> OpenApiResponse:
    """A documented 409 answer (``ConflictError``), for ``extend_schema(responses=...)``."""
    return OpenApiResponse(ErrorSerializer, description=description)


class UrlParametersMixin:
    """Refuses query and path parameters the database cannot hold (a NUL character) with a 400
    naming them, after authentication and permissions, before the handler runs."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        errors = url_parameter_errors(query=dict(request.query_params.lists()), path=kwargs)
        if errors:
            raise ValidationError(errors)


class ApiView(UrlParametersMixin, APIView):
    """The base of the API's views (``UrlParametersMixin`` on DRF's APIView)."""

    def query(self, serializer_class) -> dict:
        """The query parameters validated by ``serializer_class`` (400 naming each bad one).

        Read as a plain dict, not as form input: an empty ``?status=`` is refused like any other
        invalid value instead of counting as absent, as the schema says.
        """
        data = serializer_class(data=self.request.query_params.dict())
        data.is_valid(raise_exception=True)
        return data.validated_data


class PaginatedApiView(ApiView):
    """An ApiView answering pages: ``{"count", "next", "previous", "results"}`` (limit/offset),
    which the schema documents for its list responses."""

    pagination_class = ApiPagination

    def paginated(self, queryset, serializer_class, **serializer_kwargs) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True, **serializer_kwargs).data)


class ApiRootApi(APIView):
    """Lists the API's endpoints: the registered viewsets and the named extra endpoints."""

    router = None
    endpoints: dict[str, str] = {}

    @extend_schema(exclude=True)  # a directory of links, not an operation
    def get(self, request, format=None):
        names = dict(self.endpoints)
        if self.router is not None:
            for prefix, _viewset, basename in self.router.registry:
                names[prefix] = f"{basename}-list"
        links = {}
        for key, url_name in names.items():
            try:
                links[key] = reverse(url_name, request=request, format=format)
            except NoReverseMatch:
                continue
        return Response(links)


class ApiNotFoundApi(APIView):
    """Any other URL under ``/api/``: a 404 in the error shape (JSON, like every API answer),
    naming the endpoint with a trailing slash when that one exists."""

    permission_classes = [AllowAny]
    schema = None  # not an operation

    def handle(self, request, *args, **kwargs):
        message = f"No API endpoint {request.path}."
        try:
            if resolve(request.path_info + "/").url_name != "api-not-found":
                message += f" Did you mean {request.path}/?"
        except Resolver404:
            pass
        raise NotFoundError(message + " GET /api/ lists the endpoints.", code="api.no_endpoint")

    get = post = put = patch = delete = head = options = handle
