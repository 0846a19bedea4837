"""Outbound HTTP for scripts (GET/POST/... keywords) on every host: the run host and the
console of ``gb run`` (which receives this function from the command).

The call goes through :mod:`generalbots.core.outbound`: one deadline for the whole exchange
(``GB_HTTP_DEADLINE_SECONDS``), at most ``GB_HTTP_MAX_BYTES`` read, and every address the host
name resolves to must be public (or in ``GB_HTTP_ALLOWED_NETWORKS``) unless the caller allows
private ones (the bot's ``http-allow-private,true``). The connection goes to the very address
that was checked. Redirects are not followed: a redirect is an error naming its target, so the
script calls that URL itself, through the same guard. JSON replies become BASIC objects.
"""

from __future__ import annotations

import urllib.parse

from generalbots.basic import BasicError, BasicRuntimeError
from generalbots.basic.values import from_json_text, to_json_text, to_text
from generalbots.core import outbound

PRIVATE_HINT = "set http-allow-private,true in config.csv to allow it"


def http_request(method: str, url, body, headers: dict, *, allow_private: bool = False,
                 private_hint: str = PRIVATE_HINT):
    """Do one request for a script; the reply body as a BASIC value."""
    text = _fetch(method, url, body, headers, allow_private=allow_private,
                  private_hint=private_hint).text
    try:
        return from_json_text(text)
    except BasicError:
        return text


def http_download(url, headers: dict | None = None, *, allow_private: bool = False,
                  private_hint: str = PRIVATE_HINT) -> bytes:
    """``DOWNLOAD url``: the body of a GET of ``url`` as bytes, through the same guard."""
    return _fetch("DOWNLOAD", url, None, headers, allow_private=allow_private,
                  private_hint=private_hint, method_sent="GET").content


def _fetch(method: str, url, body, headers: dict | None, *, allow_private: bool, private_hint: str,
           method_sent: str | None = None) -> outbound.Reply:
    """The guarded exchange; errors name ``method`` (the keyword) and the URL."""
    url = to_text(url)
    try:
        parts = urllib.parse.urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise BasicRuntimeError(f"only http:// and https:// URLs can be called: {url}")
    send_headers = {to_text(k): to_text(v) for k, v in (headers or {}).items()}
    content = None
    if body is not None:
        content = (body if isinstance(body, str) else to_json_text(body)).encode()
        send_headers.setdefault("Content-Type", "application/json")
    try:
        reply = outbound.fetch(method_sent or method, url, guarded=not allow_private, headers=send_headers,
                               content=content)
    except outbound.OutboundRefused as exc:
        if "address" in exc.extra:
            raise BasicRuntimeError(f"{exc.message} ({private_hint})") from None
        raise BasicRuntimeError(f"{method} {url}: {exc.message}") from None
    except outbound.OutboundError as exc:
        raise BasicRuntimeError(f"{method} {url} failed: {exc.message}") from None
    location = reply.headers.get("location")
    if 300 <= reply.status < 400 and location:
        raise BasicRuntimeError(f"{method} {url} answered HTTP {reply.status}, a redirect to {location[:200]}: "
                                "redirects are not followed (call that URL directly)")
    if reply.status >= 400:
        raise BasicRuntimeError(f"{method} {url} answered HTTP {reply.status}")
    return reply
