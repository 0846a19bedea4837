"""Talking to language models: one call, ``chat(messages, tools, model_config)``.

The routing issue wraps this API; keep it small. ``messages`` and ``tools`` use the OpenAI
chat-completions shapes. ``model_config`` is a :class:`ModelConfig` (or a dict with its
fields): without ``url`` the built-in offline provider answers, deterministically, saying it is
offline (embedded mode, DESIGN §2); with one, any OpenAI-compatible endpoint is called over
HTTP. The answer is always ``{"content", "tool_calls", "usage"}`` with ``tool_calls`` a list of
``{"id", "name", "arguments"}`` (``arguments`` the JSON text the model wrote).

With ``on_token`` (a callable taking a text fragment) the request asks for a streamed answer
(``"stream": true``, server-sent events) and calls ``on_token`` with every piece of content as
it arrives; the returned result is the same as without streaming. The offline model calls it
once per word.

Every call goes through :mod:`generalbots.core.outbound`: the model's ``timeout`` bounds the
whole exchange (connect, headers and the full answer, streamed or not), and a reply larger than
``MAX_REPLY_BYTES`` is cut off. Model endpoints are configured by operators and often local
(vLLM, Ollama), so private addresses are allowed here.

Passages of a knowledge base travel as one system message made by :func:`passages_message`: its
text lists the passages with their sources for the model (asked to cite them), and its
``passages`` key (dropped before a request leaves) lets the offline model answer with the best
passage and its source. A bot's profile (``llmrouter.offline.profile_message``) is for the
offline model alone: it answers greetings, help and "what do you need" from it.

Failures (unreachable, timeout, HTTP error status, a reply too large or not chat-completions
JSON) raise :class:`ProviderError` naming the endpoint and the cause.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Callable, Iterator, TypedDict

import httpx

from generalbots.core import outbound
from generalbots.core.exceptions import ApplicationError
from llmrouter.offline import offline_answer

DEFAULT_TIMEOUT = 60.0
MAX_REPLY_BYTES = 10_000_000
OFFLINE_MODEL = "offline"
_clients: dict[bool, httpx.Client] = {}


def http_client(*, guarded: bool = False) -> httpx.Client:
    """One pooled client per process and kind: keeps connections (and TLS sessions) between calls.

    ``guarded``: for endpoints a bot's own config.csv names (a tenant wrote them): private and
    local addresses are refused unless inside ``GB_MODEL_ALLOWED_NETWORKS``. Models an operator
    registered in the admin may be anywhere (a vLLM on the intranet)."""
    client = _clients.get(guarded)
    if client is None:
        networks = "GB_MODEL_ALLOWED_NETWORKS" if guarded else None
        client = _clients[guarded] = outbound.make_client(guarded=guarded, max_connections=100, max_keepalive=20,
                                                          networks=networks)
    return client


class ToolCall(TypedDict):
    id: str
    name: str
    arguments: str


class ChatResult(TypedDict):
    content: str | None
    tool_calls: list[ToolCall]
    usage: dict[str, int]


class ProviderError(ApplicationError):
    code = "llmrouter.provider_error"
    http_status = 502


@dataclass(frozen=True)
class ModelConfig:
    """Where and how to call one model (a bot's ``llm-*`` config rows)."""

    url: str = ""
    model: str = ""
    key: str = ""
    temperature: float | None = None
    timeout: float = DEFAULT_TIMEOUT
    guarded: bool = False  # the URL comes from a bot's config.csv (see http_client)

    @classmethod
    def coerce(cls, value: "ModelConfig | dict | None") -> "ModelConfig":
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (value or {}).items() if k in known})

    @property
    def is_offline(self) -> bool:
        return not self.url

    @property
    def endpoint(self) -> str:
        """``.../v1/chat/completions`` from a base URL written in any of the usual ways."""
        url = self.url.rstrip("/")
        if url.endswith("/chat/completions"):
            return url
        if url.endswith("/v1"):
            return url + "/chat/completions"
        return url + "/v1/chat/completions"


TokenCallback = Callable[[str], None]


def chat(messages: list[dict], tools: list[dict] | None = None, model_config: ModelConfig | dict | None = None,
         *, on_token: TokenCallback | None = None) -> ChatResult:
    """One chat completion (see module docstring)."""
    config = ModelConfig.coerce(model_config)
    if config.is_offline:
        result = offline_chat(messages, tools)
        if on_token is not None:
            for i, word in enumerate(str(result["content"]).split(" ")):
                on_token(word if i == 0 else " " + word)
        return result
    if on_token is not None:
        return openai_chat_stream(messages, tools, config, on_token)
    return openai_chat(messages, tools, config)


PASSAGES_INTRO = ("Answer from these passages of the knowledge base when they are relevant, and cite the "
                  "source of what you use in square brackets, e.g. [faq/refunds.md]:")


def passages_message(passages: list[dict]) -> dict:
    """The system message carrying knowledge-base passages (``{"source", "text"}``, best first)."""
    listed = "\n\n".join(f"[{p['source']}]\n{p['text']}" for p in passages)
    return {"role": "system", "content": f"{PASSAGES_INTRO}\n\n{listed}", "passages": passages}


def _wire(messages: list[dict]) -> list[dict]:
    """The messages as an endpoint gets them: without the passages' private key, and without
    the bot's profile (``offline.profile_message``), which is for the offline model only."""
    return [{k: v for k, v in m.items() if k != "passages"} if "passages" in m else m for m in messages
            if "profile" not in m]


def offline_chat(messages: list[dict], tools: list[dict] | None = None) -> ChatResult:
    """The built-in model (``llmrouter.offline``): a tool's result, else the bot's profile for
    greetings, help and what it needs, else the best knowledge-base passage, else what it got."""
    content = offline_answer(messages)
    prompt_words = sum(len(str(m.get("content") or "").split()) for m in messages)
    return {"content": content, "tool_calls": [],
            "usage": {"prompt_tokens": prompt_words, "completion_tokens": len(content.split()),
                      "total_tokens": prompt_words + len(content.split())}}


def _request(messages: list[dict], tools: list[dict] | None, config: ModelConfig) -> tuple[dict, dict]:
    payload: dict[str, Any] = {"model": config.model or "default", "messages": _wire(messages)}
    if tools:
        payload["tools"] = tools
    if config.temperature is not None:
        payload["temperature"] = config.temperature
    headers = {"Content-Type": "application/json"}
    if config.key:
        headers["Authorization"] = f"Bearer {config.key}"
    return payload, headers


@contextmanager
def _failures(endpoint: str, config: ModelConfig) -> Iterator[None]:
    """Outbound failures as ProviderError naming the endpoint."""
    extra = {"endpoint": endpoint}
    try:
        yield
    except outbound.OutboundTimeout:
        raise ProviderError(f"The model at {endpoint} did not answer within {config.timeout:g} s.",
                            extra=extra) from None
    except outbound.OutboundTooLarge:
        raise ProviderError(f"The model at {endpoint} sent a reply larger than "
                            f"{outbound.size_text(MAX_REPLY_BYTES)}.", extra=extra) from None
    except outbound.OutboundError as exc:
        raise ProviderError(f"Cannot reach the model at {endpoint}: {exc.message}", extra=extra) from None


def openai_chat(messages: list[dict], tools: list[dict] | None, config: ModelConfig) -> ChatResult:
    """POST to an OpenAI-compatible ``/v1/chat/completions``."""
    payload, headers = _request(messages, tools, config)
    endpoint = config.endpoint
    with _failures(endpoint, config):
        response = outbound.fetch("POST", endpoint, client=http_client(guarded=config.guarded), json=payload, headers=headers,
                                  deadline=config.timeout, max_bytes=MAX_REPLY_BYTES)
    if response.status >= 400:
        raise ProviderError(
            f"The model at {endpoint} answered HTTP {response.status}: {response.text[:200]}",
            extra={"endpoint": endpoint, "status": response.status},
        )
    try:
        body = response.json()
        message = body["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ProviderError(f"The model at {endpoint} sent a reply that is not a chat completion.",
                            extra={"endpoint": endpoint}) from None
    calls: list[ToolCall] = []
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        arguments = function.get("arguments")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments or {})
        calls.append({"id": str(call.get("id") or f"call_{len(calls)}"), "name": str(function.get("name", "")),
                      "arguments": arguments})
    usage = body.get("usage") or {}
    return {
        "content": message.get("content"),
        "tool_calls": calls,
        "usage": {k: int(usage.get(k) or 0) for k in ("prompt_tokens", "completion_tokens", "total_tokens")},
    }


def openai_chat_stream(messages: list[dict], tools: list[dict] | None, config: ModelConfig,
                       on_token: TokenCallback) -> ChatResult:
    """Like :func:`openai_chat` with ``"stream": true``: parses the server-sent events."""
    payload, headers = _request(messages, tools, config)
    payload["stream"] = True
    payload["stream_options"] = {"include_usage": True}
    endpoint = config.endpoint
    content: list[str] = []
    calls: dict[int, dict] = {}
    usage: dict = {}
    exchange = outbound.stream("POST", endpoint, client=http_client(guarded=config.guarded), json=payload, headers=headers,
                               deadline=config.timeout, max_bytes=MAX_REPLY_BYTES)
    with _failures(endpoint, config), exchange as response:
        if response.status >= 400:
            text = response.read().decode("utf-8", "replace")
            raise ProviderError(
                f"The model at {endpoint} answered HTTP {response.status}: {text[:200]}",
                extra={"endpoint": endpoint, "status": response.status},
            )
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue  # blank separators, comments, event names
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                chunk = json.loads(data)
            except ValueError:
                raise ProviderError(f"The model at {endpoint} streamed an event that is not JSON.",
                                    extra={"endpoint": endpoint}) from None
            usage = chunk.get("usage") or usage
            for choice in chunk.get("choices") or []:
                delta = choice.get("delta") or {}
                if delta.get("content"):
                    content.append(delta["content"])
                    on_token(delta["content"])
                for part in delta.get("tool_calls") or []:
                    call = calls.setdefault(int(part.get("index", len(calls))), {"id": "", "name": "", "arguments": ""})
                    call["id"] = part.get("id") or call["id"]
                    function = part.get("function") or {}
                    call["name"] += function.get("name") or ""
                    call["arguments"] += function.get("arguments") or ""
    tool_calls: list[ToolCall] = [{"id": c["id"] or f"call_{i}", "name": c["name"], "arguments": c["arguments"] or "{}"}
                                  for i, c in sorted(calls.items())]
    return {
        "content": "".join(content) if content or not tool_calls else None,
        "tool_calls": tool_calls,
        "usage": {k: int(usage.get(k) or 0) for k in ("prompt_tokens", "completion_tokens", "total_tokens")},
    }
