"""A feed server on 127.0.0.1 for tests and benchmarks: static feeds with validators, and misbehaviour."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Static:
    """A document served with an ETag (and Last-Modified); answers 304 to a matching conditional GET."""

    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = "Sun, 22 Nov 2026 07:00:00 GMT"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False

    def __post_init__(self) -> None:
        if self.etag is None:
            self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    def __call__(self, req: BaseHTTPRequestHandler) -> None:
        if self.status == 200 and self.etag and req.headers.get("If-None-Match") == self.etag:
            req.send_response(304)
            req.send_header("ETag", self.etag)
            req.end_headers()
            return
        body = gzip.compress(self.body) if self.gzip else self.body
        req.send_response(self.status)
        req.send_header("Content-Type", self.content_type)
        req.send_header("Content-Length", str(len(body)))
        if self.gzip:
            req.send_header("Content-Encoding", "gzip")
        if self.etag:
            req.send_header("ETag", self.etag)
        if self.last_modified:
            req.send_header("Last-Modified", self.last_modified)
        for name, value in self.headers.items():
            req.send_header(name, value)
        req.end_headers()
        req.wfile.write(body)


def redirect(location: str, status: int = 302) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(status)
        req.send_header("Location", location)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return handle


def slow_drip(total_s: float = 30.0, chunk: bytes = b"<", every_s: float = 0.2) -> Handler:
    """Sends a byte now and then: each read succeeds, the response never completes in time."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.end_headers()
        deadline = time.monotonic() + total_s
        try:
            while time.monotonic() < deadline:
                req.wfile.write(chunk)
                req.wfile.flush()
                time.sleep(every_s)
        except OSError:
            pass

    return handle


def gzip_bomb(decompressed_mb: int = 200) -> Handler:
    body = gzip.compress(b"\0" * (decompressed_mb * 1024 * 1024), compresslevel=9)

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Encoding", "gzip")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handle


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    return Static(b"error", status=code, content_type="text/plain", headers=headers or {}, etag="")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up mid-response (deadlines, kills) are what these tests provoke


class FeedServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _QuietServer((host, 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def reset_mid_body(declared: int = 100_000) -> Handler:
    """Announces a long body, sends a little, then resets the connection."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Length", str(declared))
        req.end_headers()
        req.wfile.write(b'<rss version="2.0"><channel><title>t</title>')
        req.wfile.flush()
        import socket as _socket
        import struct

        req.connection.setsockopt(_socket.SOL_SOCKET, _socket.SO_LINGER, struct.pack("ii", 1, 0))
        req.close_connection = True
        req.rfile.close()
        req.wfile.close()
        req.connection.close()  # the last reference: with linger 0 this sends a reset

    return handle


def endless_chunked(chunk: bytes = b"<item><title>x</title></item>" * 100) -> Handler:
    """A chunked body that never ends (until the client gives up)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        try:
            while True:
                req.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass

    return handle
