"""DRF glue shared by every app: the exception handler and the API root."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from generalbots.core.exceptions import ApplicationError


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
