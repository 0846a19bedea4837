"""The console's template filters: durations as people read them, JSON pretty-printed and
highlighted (Pygments' JSON lexer, classes styled in ``static/site.css`` under ``.gb-json``)."""

import json
from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer

register = template.Library()


@register.filter
def took(value) -> str:
    """A duration (timedelta or seconds) in ms below a second, s below a minute, then min and h:
    ``3 ms``, ``2.4 s``, ``4 min 10 s``, ``2 h 5 min``; empty for None."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if seconds < 1:
        return f"{max(seconds * 1000, 0):.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


@register.filter
def run_took(run) -> str:
    """How long a run took: start to finish, or start to now while it has not finished."""
    if run.created_at is None:
        return ""
    return took((run.finished_at or timezone.now()) - run.created_at)


@register.filter
def pretty_json(value) -> str:
    """A JSON value indented for reading (text as is)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


_JSON_LEXER, _HTML = JsonLexer(), HtmlFormatter(nowrap=True)


@register.filter
def highlight_json(value) -> SafeString:
    """A JSON value indented (``pretty_json``) as HTML with a ``<span class>`` per token: keys
    ``nt``, strings ``s2``, numbers ``m*``, true/false/null ``kc``. Text is JSON too (quoted)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return mark_safe(highlight(text, _JSON_LEXER, _HTML).rstrip("\n"))  # Pygments escapes every token
