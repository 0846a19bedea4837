"""A real OpenAI-compatible HTTP server for tests: ``/v1/chat/completions`` and ``/v1/models``.

It listens on 127.0.0.1 in a thread; each model is configured on its own:

    server.configure("small", reply="Hello!")                       # a fixed answer
    server.configure("tools", script=[{"tool_calls": [{"name": "weather", "arguments": {"city": "Paris"}}]},
                                      {"content": "It is sunny."}])  # answers in order, then ``reply``
    server.configure("slow", latency=0.2, failure_rate=0.5, failure_status=503, seed=1)
    server.configure("echo", responder=lambda body: {"content": body["messages"][-1]["content"]})

Unknown models answer with ``default_reply``. Every request is recorded (``server.requests``:
path, headers, JSON body) so tests can look at what the platform sent. Token usage is
``usage`` when configured, else counted in words.

A request with ``"stream": true`` is answered with server-sent events the way OpenAI streams:
one ``delta`` per word of the content, each tool call in two pieces (name, then arguments in
two halves), a final chunk with ``usage`` when ``stream_options.include_usage`` is set, then
``data: [DONE]``.

Two knobs misbehave on purpose (outbound deadline and size tests):

    server.configure("drip", trickle=0.5)         # the answer written one byte every 0.5 s
    server.configure("flood", pad_bytes=400_000_000)  # the content padded with that many bytes,
                                                  # made lazily, no Content-Length (streamed: in
                                                  # deltas of 64 kB)

``server.bytes_sent[model]`` counts the answer bytes the socket accepted for each model.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest


@dataclass
class ModelBehaviour:
    reply: str = "OK."
    script: list[dict] = field(default_factory=list)
    responder: Callable[[dict], dict] | None = None
    latency: float = 0.0
    failure_rate: float = 0.0
    failure_status: int = 500
    usage: dict | None = None
    seed: int = 0
    trickle: float = 0.0
    pad_bytes: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


class LLMServer:
    def __init__(self, *, default_reply: str = "OK.") -> None:
        self.default_reply = default_reply
        self.models: dict[str, ModelBehaviour] = {}
        self.requests: list[dict] = []
        self.bytes_sent: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="llm-test-server", daemon=True)

    # ------------------------------------------------------------------ control
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def configure(self, model: str, **behaviour: Any) -> ModelBehaviour:
        self.models[model] = ModelBehaviour(**behaviour)
        return self.models[model]

    def start(self) -> "LLMServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def chat_requests(self, model: str | None = None) -> list[dict]:
        """JSON bodies of the chat requests received (for ``model`` only, when given)."""
        return [r["body"] for r in self.requests
                if r["path"].endswith("/chat/completions") and (model is None or r["body"].get("model") == model)]

    # ------------------------------------------------------------------ answering
    def _answer(self, body: dict) -> tuple[int, dict, float]:
        model = str(body.get("model", ""))
        with self._lock:
            behaviour = self.models.get(model) or ModelBehaviour(reply=self.default_reply)
            if behaviour.failure_rate and behaviour.rng.random() < behaviour.failure_rate:
                return behaviour.failure_status, {"error": {"message": "configured failure", "type": "server_error"}}, behaviour.latency
            if behaviour.responder is not None:
                step = behaviour.responder(body)
            elif behaviour.script:
                step = behaviour.script.pop(0)
            else:
                step = {"content": behaviour.reply}
        message: dict[str, Any] = {"role": "assistant", "content": step.get("content")}
        finish = "stop"
        if step.get("tool_calls"):
            finish = "tool_calls"
            message["tool_calls"] = [
                {"id": call.get("id", f"call_{i}"), "type": "function",
                 "function": {"name": call["name"],
                              "arguments": call["arguments"] if isinstance(call["arguments"], str)
                              else json.dumps(call["arguments"])}}
                for i, call in enumerate(step["tool_calls"])
            ]
        prompt = sum(len(str(m.get("content") or "").split()) for m in body.get("messages", []))
        completion = len(str(message["content"] or "").split())
        usage = behaviour.usage or {"prompt_tokens": prompt, "completion_tokens": completion,
                                    "total_tokens": prompt + completion}
        return 200, {"id": "chatcmpl-test", "object": "chat.completion", "model": model,
                     "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                     "usage": usage}, behaviour.latency

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, payload: dict, include_usage: bool) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                message = payload["choices"][0]["message"]

                def event(delta: dict | None = None, **extra) -> None:
                    chunk = {"id": payload["id"], "object": "chat.completion.chunk", "model": payload["model"],
                             "choices": [] if delta is None else [{"index": 0, "delta": delta}], **extra}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()

                event({"role": "assistant"})
                words = str(message.get("content") or "").split(" ") if message.get("content") else []
                for i, word in enumerate(words):
                    event({"content": word if i == 0 else " " + word})
                for i, call in enumerate(message.get("tool_calls") or []):
                    arguments = call["function"]["arguments"]
                    half = len(arguments) // 2
                    event({"tool_calls": [{"index": i, "id": call["id"], "type": "function",
                                           "function": {"name": call["function"]["name"], "arguments": arguments[:half]}}]})
                    event({"tool_calls": [{"index": i, "function": {"arguments": arguments[half:]}}]})
                if include_usage:
                    event(None, usage=payload["usage"])
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _misbehave(self, behaviour: ModelBehaviour, model: str, payload: dict, stream: bool) -> None:
                """The answer dripped one byte at a time, or padded lazily with ``pad_bytes``."""
                message = payload["choices"][0]["message"]
                if stream:
                    def chunk(text: str) -> bytes:
                        delta = {"id": payload["id"], "object": "chat.completion.chunk", "model": model,
                                 "choices": [{"index": 0, "delta": {"content": text}}]}
                        return f"data: {json.dumps(delta)}\n\n".encode()
                    head, pad, tail = chunk(message.get("content") or ""), chunk("x" * 65_536), b"data: [DONE]\n\n"
                else:
                    text = json.dumps({**payload, "choices": [{"index": 0, "finish_reason": "stop",
                                                               "message": {**message, "content": "\u0000"}}]})
                    start, end = text.split("\\u0000")
                    head, pad, tail = (start + (message.get("content") or "")).encode(), b"x" * 65_536, end.encode()
                pieces = [head] + [pad] * (behaviour.pad_bytes // 65_536) + [tail]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream" if stream else "application/json")
                self.end_headers()
                for piece in pieces:
                    for part in ([piece[i:i + 1] for i in range(len(piece))] if behaviour.trickle else [piece]):
                        try:
                            self.wfile.write(part)
                            self.wfile.flush()
                        except OSError:
                            return  # the client went away
                        server.bytes_sent[model] += len(part)
                        if behaviour.trickle:
                            time.sleep(behaviour.trickle)

            def do_GET(self) -> None:
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
                if self.path.rstrip("/").endswith("/v1/models"):
                    names = sorted(server.models) or ["default"]
                    self._send(200, {"object": "list", "data": [{"id": n, "object": "model"} for n in names]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._send(400, {"error": {"message": "body is not JSON"}})
                    return
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if not self.path.rstrip("/").endswith("/v1/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                status, payload, latency = server._answer(body)
                if latency:
                    time.sleep(latency)
                behaviour = server.models.get(str(body.get("model", "")))
                if behaviour is not None and (behaviour.trickle or behaviour.pad_bytes) and status == 200:
                    self._misbehave(behaviour, str(body.get("model", "")), payload, bool(body.get("stream")))
                elif body.get("stream") and status == 200:
                    self._stream(payload, bool((body.get("stream_options") or {}).get("include_usage")))
                else:
                    self._send(status, payload)

        return Handler


@pytest.fixture
def llm_server():
    """A started :class:`LLMServer`, stopped after the test."""
    server = LLMServer().start()
    yield server
    server.stop()
