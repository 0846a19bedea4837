"""Outbound HTTP for scripts (GET/POST/... keywords), refusing private destinations.

Every address a host name resolves to must be public (not private, loopback, link-local,
multicast or reserved) unless the bot's config says ``http-allow-private,true``. The
connection then goes to the very address that was checked (the Host header keeps the name),
so a DNS answer that changes between the check and the request cannot reach a private
address. Redirects are not followed. JSON replies become BASIC objects.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse

import httpx

from generalbots.basic import BasicError, BasicRuntimeError
from generalbots.basic.values import from_json_text, to_json_text, to_text

TIMEOUT = 15.0
MAX_BYTES = 5_000_000


def resolve_public(host: str, port: int, *, allow_private: bool) -> str:
    """An address of ``host`` to connect to; raises BasicRuntimeError for private ones."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise BasicRuntimeError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise BasicRuntimeError(
                    f"refusing to call {host}: it resolves to the private or local address {ip} "
                    "(set http-allow-private,true in config.csv to allow it)")
    return addresses[0]


def http_request(method: str, url, body, headers: dict, *, allow_private: bool = False):
    """Do one request for a script; the reply body as a BASIC value."""
    url = to_text(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BasicRuntimeError(f"only http:// and https:// URLs can be called: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve_public(parts.hostname, port, allow_private=allow_private)
    send_headers = {to_text(k): to_text(v) for k, v in (headers or {}).items()}
    content = None
    if body is not None:
        content = (body if isinstance(body, str) else to_json_text(body)).encode()
        send_headers.setdefault("Content-Type", "application/json")
    netloc = f"[{address}]" if ":" in address else address
    target = urllib.parse.urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
    send_headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
    # TLS must verify the name, not the address: pass it as the SNI / certificate host.
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    try:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
            request = client.build_request(method, target, content=content, headers=send_headers,
                                           extensions=extensions)
            response = client.send(request)
    except httpx.HTTPError as exc:
        raise BasicRuntimeError(f"{method} {url} failed: {exc}") from None
    text = response.content[:MAX_BYTES].decode(response.encoding or "utf-8", "replace")
    if response.status_code >= 400:
        raise BasicRuntimeError(f"{method} {url} answered HTTP {response.status_code}")
    try:
        return from_json_text(text)
    except BasicError:
        return text
