"""A small real OpenAI-compatible HTTP server for tests: chosen replies, streamed or not, and every failure mode."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Behaviour:
    """What the server does with one request."""

    reply: str = "Okay."
    status: int = 200  # 429 or 500 to fail
    stall: float = 0.0  # seconds to wait before answering
    cut_after: int | None = None  # stream this many chunks, then drop the connection
    malformed: bool = False  # stream a line that is not JSON
    retry_after: float | None = None
    pace: float = 0.0  # seconds between streamed chunks, for a reply that is still arriving


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-stream is a scenario the tests provoke, not an error to print: printed from a
    server thread it would land in whatever stderr the test running at that moment is capturing."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@dataclass
class FakeOpenAI:
    """Serves /v1/chat/completions on 127.0.0.1; queue behaviours, read back the requests."""

    behaviours: list[Behaviour] = field(default_factory=list)
    default: Behaviour = field(default_factory=Behaviour)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    hung_up: list[float] = field(default_factory=list)  # when a client closed a stream the server was still sending
    model: str = "fake-model"

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # /v1/models
                body = json.dumps({"object": "list", "data": [{"id": server.model, "object": "model"}]}).encode()
                self._send(200, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(request)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                behaviour = server.behaviours.pop(0) if server.behaviours else server.default
                if behaviour.stall:
                    time.sleep(behaviour.stall)
                if behaviour.status != 200:
                    body = json.dumps({"error": {"message": f"fake {behaviour.status}", "type": "server"}}).encode()
                    extra = {"retry-after": str(behaviour.retry_after)} if behaviour.retry_after is not None else {}
                    self._send(behaviour.status, body, extra)
                    return
                if request.get("stream"):
                    self._stream(behaviour)
                else:
                    self._send(200, json.dumps(_completion(behaviour.reply, server.model)).encode())

            def _send(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _stream(self, behaviour: Behaviour) -> None:
                try:
                    self._send_stream(behaviour)
                except (BrokenPipeError, ConnectionResetError):
                    server.hung_up.append(time.monotonic())

            def _send_stream(self, behaviour: Behaviour) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("connection", "close")
                self.end_headers()
                words = behaviour.reply.split(" ")
                pieces = [w if i == 0 else " " + w for i, w in enumerate(words)]
                for i, piece in enumerate(pieces):
                    if behaviour.cut_after is not None and i >= behaviour.cut_after:
                        self.wfile.flush()
                        self.connection.shutdown(2)
                        return
                    if behaviour.malformed and i == 1:
                        self.wfile.write(b"data: {not json\n\n")
                        self.wfile.flush()
                        continue
                    self.wfile.write(b"data: " + json.dumps(_chunk(piece, server.model)).encode() + b"\n\n")
                    self.wfile.flush()
                    if behaviour.pace:
                        time.sleep(behaviour.pace)
                self.wfile.write(b"data: " + json.dumps(_chunk("", server.model, finish=True)).encode() + b"\n\n")
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(text: str, model: str, finish: bool = False) -> dict[str, Any]:
    delta = {} if finish else {"content": text}
    return {
        "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if finish else None}],
    }
