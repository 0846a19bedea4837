"""The one error hierarchy of the platform.

Services raise these; the DRF exception handler (``core.api``), admin actions and HTMX views
render them. ``code`` is namespaced per app (``workflows.invalid_transition``).
"""

from typing import Any


class ApplicationError(Exception):
    """A domain error worth showing to the user as it is."""

    code = "application_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class NotFoundError(ApplicationError):
    code = "not_found"
    http_status = 404


class ConflictError(ApplicationError):
    """The request is valid but the current state of the data refuses it."""

    code = "conflict"
    http_status = 409


class PermissionDeniedError(ApplicationError):
    """The user may see the object but not do this to it."""

    code = "permission_denied"
    http_status = 403
