"""Outbound HTTP (script keywords, LLM providers, embeddings): a total deadline, a size limit, a guard.

- **Total deadline.** ``deadline`` seconds of wall clock bound the whole exchange: connecting,
  TLS, sending, waiting for the headers and reading the body. Each socket operation waits at
  most for the time left, so a server that trickles one byte a second is cut off at the
  deadline (:class:`OutboundTimeout`, "no complete answer within 20 s").
- **Size limit.** The body is read as a stream and counted, compressed and decompressed (gzip
  and deflate are decoded here, in bounded steps, so a compression bomb is cut off too); past
  ``max_bytes`` the connection is closed (:class:`OutboundTooLarge`, "reply larger than 5 MB").
- **Guard** (``guarded=True``, the default): every address the host name resolves to must be
  public, or inside ``GB_HTTP_ALLOWED_NETWORKS``. An IPv6 address that embeds an IPv4 one
  (IPv4-mapped, -translated and -compatible, NAT64 ``64:ff9b::/96``, 6to4, Teredo) is judged
  by that IPv4 address; the local-use NAT64 prefix and site-local addresses are refused. The
  connection goes to the very address that was checked (TLS still verifies the name), so a
  DNS answer that changes after the check cannot reach a private address, and every
  connection, whatever opened it, passes the check.
- Redirects are never followed, no cookies are kept between calls, and proxy settings and
  ``.netrc`` of the environment are not used (a script must not ride on the server's).

:func:`fetch` reads a whole (bounded) reply; :func:`stream` yields one to read line by line
(server-sent events). Both take a ``client`` from :func:`make_client` to keep connections
between calls; without one they open and close their own. Failures raise
:class:`OutboundError` subclasses whose ``message`` is a short phrase callers prefix with what
they were doing ("GET https://x failed: reply larger than 5 MB").
"""

from __future__ import annotations

import codecs
import contextvars
import functools
import http.cookiejar
import ipaddress
import json as jsonlib
import logging
import socket
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import httpcore
import httpx
from django.conf import settings

from generalbots.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

DEADLINE = 20.0
MAX_BYTES = 5_000_000
_WRITE_CHUNK = 16_384
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_COMPATIBLE = ipaddress.ip_network("::/96")
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The monotonic time the current exchange must end by; read by every socket operation.
_ends_at: contextvars.ContextVar[float | None] = contextvars.ContextVar("outbound_ends_at", default=None)


class OutboundError(ApplicationError):
    code = "outbound.failed"
    http_status = 502


class OutboundRefused(OutboundError):
    """The destination is not allowed (a private address, not an http(s) URL)."""

    code = "outbound.refused"
    http_status = 400


class OutboundTimeout(OutboundError):
    code = "outbound.timeout"
    http_status = 504


class OutboundTooLarge(OutboundError):
    code = "outbound.too_large"


# --- addresses ---------------------------------------------------------------------------------

def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (none for a native IPv6 address)."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in _NAT64 or ip in _TRANSLATED or ip in _COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def address_is_public(address: str | IPAddress) -> bool:
    """True for a globally routable unicast address; IPv6 forms of IPv4 are judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%")[0] if isinstance(address, str) else address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL or ip in _SITE_LOCAL:
            return False
        embedded = embedded_ipv4(ip)
        if embedded:
            return all(address_is_public(v4) for v4 in embedded)
    return ip.is_global and not ip.is_multicast


@functools.lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in filter(None, (n.strip() for n in spec)):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:  # a typo allows nothing more; say so once
            logger.warning("GB_HTTP_ALLOWED_NETWORKS: %r is not a network (e.g. 10.20.0.0/16); ignored", item)
    return tuple(networks)


def address_allowed(address: str | IPAddress, *, networks: tuple[str, ...] | str | None = None) -> bool:
    """Public, or inside one of ``networks`` (CIDRs, or the name of a setting holding them; default:
    the operator's ``GB_HTTP_ALLOWED_NETWORKS``)."""
    if address_is_public(address):
        return True
    ip = ipaddress.ip_address(address.split("%")[0] if isinstance(address, str) else address)
    candidates = [ip] + (embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else [])
    if networks is None or isinstance(networks, str):  # the name of a setting, read at each call
        networks = tuple(getattr(settings, networks or "GB_HTTP_ALLOWED_NETWORKS", ()))
    allowed = _networks(tuple(networks))
    return any(c in net for c in candidates for net in allowed if c.version == net.version)


def resolve_checked(host: str, port: int, *, networks: tuple[str, ...] | str | None = None) -> list[str]:
    """The addresses of ``host``, every one of them allowed; OutboundRefused otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise OutboundError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address, networks=networks):
            address = address.split("%")[0]
            name = f"[{host}]" if ":" in host else host
            raise OutboundRefused(f"refusing to call {name}: it resolves to the private or local address {address}",
                                  extra={"host": host, "address": address})
    return addresses


# --- the network layer under httpx ------------------------------------------------------------

def _clip(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left of the exchange's deadline."""
    ends_at = _ends_at.get()
    if ends_at is None:
        return timeout
    left = ends_at - time.monotonic()
    if left <= 0:
        raise error("the deadline of the exchange has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # In pieces: each piece may wait only for what is left of the deadline.
        for start in range(0, len(buffer), _WRITE_CHUNK):
            self._inner.write(buffer[start:start + _WRITE_CHUNK], _clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _clip(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Connects to checked addresses (when guarded) and keeps every operation within the deadline."""

    def __init__(self, *, guarded: bool, networks: tuple[str, ...] | str | None = None):
        self.guarded = guarded
        self.networks = networks
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve_checked(host, port, networks=self.networks) if self.guarded else [host]
        failure: Exception | None = None
        for address in addresses:
            try:
                inner = self._inner.connect_tcp(address, port, _clip(timeout, httpcore.ConnectTimeout),
                                                local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _Stream(inner)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("outbound calls do not use unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def make_client(*, guarded: bool = True, max_connections: int = 10, max_keepalive: int = 5,
                networks: tuple[str, ...] | str | None = None) -> httpx.Client:
    """An httpx client whose connections go through the guard (when ``guarded``: private addresses
    refused unless inside ``networks``, by default ``GB_HTTP_ALLOWED_NETWORKS``) and the deadline."""
    # trust_env on the transport only: the CA bundle of SSL_CERT_FILE is honoured, proxies are not.
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=max_connections,
                                                        max_keepalive_connections=max_keepalive))
    pool = transport._pool  # no proxy given: always an httpcore.ConnectionPool
    assert isinstance(pool, httpcore.ConnectionPool)
    pool._network_backend = _Backend(guarded=guarded, networks=networks)
    no_cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(transport=transport, trust_env=False, follow_redirects=False, cookies=no_cookies,
                        headers={"Accept-Encoding": "gzip, deflate"})


# --- reading bounded bodies ---------------------------------------------------------------------

def size_text(n: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"


class _Inflate:
    """zlib/gzip decoding that never makes more than ``room`` bytes in one step."""

    def __init__(self, encoding: str):
        self._gzip = encoding != "deflate"
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        self._started = False

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        while True:
            try:
                out = self._decoder.decompress(data, room + 1)
            except zlib.error:
                if self._gzip or self._started:
                    raise OutboundError("the reply is not valid compressed data") from None
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
                self._started = True
                continue
            self._started = True
            room -= len(out)
            if out:
                yield out
            data = self._decoder.unconsumed_tail
            if room < 0 or not data:
                return


def _body_chunks(response: httpx.Response, limit: int) -> Iterator[bytes]:
    if response.request.method == "HEAD" or response.status_code in (204, 304):
        return  # no body, whatever Content-Length says
    too_large = OutboundTooLarge(f"reply larger than {size_text(limit)}", extra={"limit": limit})
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        decoder = _Inflate(encoding)
    else:
        raise OutboundError(f"the reply uses the content encoding {encoding!r}, which is not supported")
    received = produced = 0
    for raw in response.iter_raw():
        received += len(raw)
        if received > limit:
            raise too_large
        for piece in ([raw] if decoder is None else decoder.decode(raw, limit - produced)):
            produced += len(piece)
            if produced > limit:
                raise too_large
            yield piece


def _charset(headers: httpx.Headers) -> str:
    for param in headers.get("content-type", "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                break
    return "utf-8"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(_charset(self.headers), "replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class StreamReply:
    """A reply whose body is still on the wire: read it whole or line by line, within the limit."""

    def __init__(self, response: httpx.Response, limit: int):
        self._response = response
        self._limit = limit
        self.status = response.status_code
        self.headers = response.headers

    def read(self) -> bytes:
        return b"".join(_body_chunks(self._response, self._limit))

    def iter_lines(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(_charset(self.headers))("replace")
        pending: list[str] = []
        for chunk in _body_chunks(self._response, self._limit):
            text = decoder.decode(chunk)
            if "\n" not in text:
                pending.append(text)
                continue
            first, *middle, last = text.split("\n")
            yield ("".join(pending) + first).rstrip("\r")
            yield from (line.rstrip("\r") for line in middle)
            pending = [last]
        rest = "".join(pending) + decoder.decode(b"", final=True)
        if rest:
            yield rest.rstrip("\r")


# --- the calls ----------------------------------------------------------------------------------

@contextmanager
def stream(method: str, url: str, *, client: httpx.Client | None = None, guarded: bool = True,
           headers: dict | None = None, content: bytes | None = None, json: Any = None,
           deadline: float | None = None, max_bytes: int | None = None) -> Iterator[StreamReply]:
    """One exchange whose reply is read inside the ``with`` block, all of it within ``deadline``.

    ``client`` (from :func:`make_client`) decides the guard; without it a one-off client with
    ``guarded`` is used. Defaults: ``GB_HTTP_DEADLINE_SECONDS`` and ``GB_HTTP_MAX_BYTES``.
    """
    seconds = float(deadline if deadline is not None else getattr(settings, "GB_HTTP_DEADLINE_SECONDS", DEADLINE))
    limit = int(max_bytes if max_bytes is not None else getattr(settings, "GB_HTTP_MAX_BYTES", MAX_BYTES))
    own = client is None
    http = make_client(guarded=guarded, max_connections=1, max_keepalive=0) if own else client
    token = _ends_at.set(time.monotonic() + seconds)
    try:
        try:
            with http.stream(method, url, headers=headers, content=content, json=json,
                             timeout=httpx.Timeout(seconds)) as response:
                yield StreamReply(response, limit)
        except httpx.TimeoutException:
            raise OutboundTimeout(f"no complete answer within {seconds:g} s", extra={"deadline": seconds}) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise OutboundRefused(f"not a valid http(s) URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise OutboundError(str(exc) or type(exc).__name__) from None
    finally:
        _ends_at.reset(token)
        if own:
            http.close()


def fetch(method: str, url: str, **options: Any) -> Reply:
    """One exchange read whole (bounded); the options are those of :func:`stream`."""
    with stream(method, url, **options) as reply:
        body = reply.read()
    return Reply(status=reply.status, headers=reply.headers, content=body)
