"""A real HTTP peer for transport tests: answers scripted replies in order and records every request."""

import json
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = None  # JSON-encoded, unless bytes (sent as they are, as text/html)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message  # case-insensitive, as the peer's parser read them
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


NOTHING_QUEUED = Reply(500, {"detail": "the fake peer has no reply queued for this request"})


class _LocalServer:
    """A ThreadingHTTPServer on a free port of 127.0.0.1, served from a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, name: str, daemon_threads: bool = False) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = daemon_threads
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), name=name, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class FakePeer(_LocalServer):
    """Answers the replies queued with `answer`, in order, and records every request it is sent."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        super().__init__(_handler_for(self), name="fake-peer")

    def answer(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def _take(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            return self.replies.popleft() if self.replies else NOTHING_QUEUED


def _handler_for(peer: FakePeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            url = urlsplit(self.path)
            seen = Seen(self.command, url.path, parse_qs(url.query), self.headers, self.rfile.read(length))
            reply = peer._take(seen)
            if isinstance(reply.body, bytes):
                payload, content_type = reply.body, "text/html"
            elif reply.status == 204 or reply.body is None:
                payload, content_type = b"", ""
            else:
                payload, content_type = json.dumps(reply.body).encode(), "application/json"
            self.send_response(reply.status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if reply.status != 204:
                self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            # Like gunicorn's sync workers: one request per connection, so no test inherits a pooled one.
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def silent_listener() -> socket.socket:
    """A socket that takes connections into its backlog and never answers them."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return sock


def closed_port() -> socket.socket:
    """A bound socket that does not listen: connecting to its port is refused, and no one else can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


class HeldProxy(_LocalServer):
    """A slow peer that still does the work: forwards each request to `upstream` at once, answers only on release().

    What a caller that gave up waiting must survive: its request landed, the answer came too late.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.released = threading.Event()
        self.landed = threading.Event()  # set once a request was answered upstream
        self.forwarded: list[str] = []
        super().__init__(_held_handler_for(self), name="held-proxy", daemon_threads=True)

    def stop(self) -> None:
        self.released.set()
        super().stop()


def _held_handler_for(proxy: HeldProxy) -> type[BaseHTTPRequestHandler]:
    import requests

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=30)
            proxy.forwarded.append(f"{self.command} {self.path} → {answer.status_code}")
            proxy.landed.set()
            proxy.released.wait(timeout=30)
            try:
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(answer.content)
            except OSError:
                pass  # the caller gave up long ago: that is the point
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
