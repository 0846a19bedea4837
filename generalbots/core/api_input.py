"""What the REST API accepts as input, checked once for every view.

- ``JSONParser`` (DRF's ``DEFAULT_PARSER_CLASSES``): request bodies nested at most
  ``MAX_DEPTH`` + 1 levels; deeper ones are a 400 naming the top-level field instead of a
  RecursionError (a 500).
- ``JSONValueField`` / ``json_value_problem`` (``core.json_values``, free of DRF): free JSON (workflow variables, event data,
  memory values) that PostgreSQL can store and the VM can read: no NUL characters, no lone
  surrogates, only finite numbers, bounded nesting — in keys as in values.
- ``url_parameter_errors``: query parameters and URL path segments without NUL characters
  (the database refuses them); ``core.api.ApiView`` applies it before every handler.
- ``ApiPagination`` (``DEFAULT_PAGINATION_CLASS``): ``limit`` and ``offset`` whole numbers in
  range, or a 400 naming them.

Every refusal is a DRF ``ValidationError`` keyed by the field, rendered by
``core.api.exception_handler`` like any other invalid input.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.settings import api_settings

from generalbots.core.json_values import MAX_DEPTH, json_value_problem

__all__ = ["MAX_DEPTH", "ApiPagination", "JSONParser", "JSONValueField", "json_value_problem", "url_parameter_errors",
           "validate_json_value"]

# A JSON string (escapes included), or one bracket; what lies between them cannot nest.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?|[\[{]|[\]}]', re.DOTALL)


def validate_json_value(value: Any) -> None:
    """A serializer validator: refuses what ``json_value_problem`` finds."""
    problem = json_value_problem(value)
    if problem:
        raise serializers.ValidationError(f"Not storable JSON: {problem}.")


_JSON_TYPES = ["object", "array", "string", "number", "boolean"]


class JSONValueField(serializers.JSONField):
    """DRF's JSONField, refusing what PostgreSQL or the VM cannot hold (``json_value_problem``).

    The schema says "any JSON value" (null only with ``allow_null``); a subclass narrows it with
    ``json_schema``.
    """

    json_schema: dict | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # what extend_schema_field sets; spectacular adds "null" for allow_null (in place: a copy)
        self._spectacular_annotation = {"field": copy.deepcopy(self.json_schema or {"type": _JSON_TYPES})}

    def to_internal_value(self, data):
        validate_json_value(data)  # first: DRF's own check only says "Value must be valid JSON."
        return super().to_internal_value(data)


def _too_deep(text: str, max_depth: int) -> tuple[bool, str | None]:
    """Whether the JSON ``text`` nests deeper than ``max_depth``, and then the top-level key
    under which it does (None when the top level is not an object)."""
    if text.count("[") + text.count("{") <= max_depth:
        return False, None
    opened: list[str] = []
    key: str | None = None
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in "[{":
            opened.append(token)
            if len(opened) > max_depth:
                return True, key if opened[0] == "{" else None
        elif token in "]}":
            if opened:
                opened.pop()
        elif match.group(1) and len(opened) == 1 and opened[0] == "{":
            try:
                key = json.loads(token[: token.rindex('"') + 1])
            except ValueError:
                key = None
    return False, None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a nesting limit: a body nested deeper than ``max_depth`` is a 400
    naming its top-level field, never a RecursionError (a 500)."""

    max_depth = MAX_DEPTH + 1  # the body's own object around the values

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - the body is not {encoding} text ({exc.reason}).") from None
        deep, field = _too_deep(text, self.max_depth)
        if deep and field is not None:
            raise ValidationError({field: [f"Nested deeper than {self.max_depth - 1} levels; flatten the data."]})
        if deep:
            raise ParseError(f"JSON parse error - the body is nested deeper than {self.max_depth} levels.")
        parse_constant = _strict_constant if api_settings.STRICT_JSON else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(f"JSON parse error - the body is nested deeper than {self.max_depth} levels.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


def _strict_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def url_parameter_errors(*, query: Mapping[str, list[str]], path: Mapping[str, Any]) -> dict[str, list[str]]:
    """Query parameters and URL path parameters holding a NUL character, by name."""
    errors: dict[str, list[str]] = {}
    for name, values in query.items():
        if "\x00" in name:
            errors[name.replace("\x00", "\\u0000")] = [r"A parameter name cannot contain a NUL character (\u0000)."]
        elif any("\x00" in value for value in values):
            errors[name] = [r"Cannot contain a NUL character (\u0000)."]
    for name, value in path.items():
        if isinstance(value, str) and "\x00" in value:
            errors[name] = [r"Cannot contain a NUL character (\u0000)."]
    return errors


class ApiPagination(LimitOffsetPagination):
    """Limit/offset pages, refusing a ``limit`` or ``offset`` that is not a whole number in range
    with a 400 naming it (DRF's own falls back to the defaults silently)."""

    max_limit = 1000
    max_offset = 2**31 - 1

    def _number(self, request, name: str, default, minimum: int, maximum: int):
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
            raise ValidationError({name: [f"Use a whole number from {minimum} to {maximum}."]})
        return int(raw)

    def get_limit(self, request):
        return self._number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, 0, 0, self.max_offset)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, self.max_offset)}
        for parameter in parameters:
            minimum, maximum = bounds[parameter["name"]]
            parameter["schema"].update(minimum=minimum, maximum=maximum)
        return parameters
